/* salesforce.c: reads one object file of a Salesforce Data Export. */
#include "source/salesforce.h"

#include "core/err.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct sf_reader {
    struct csv_reader *csv;
    char *file; /* basename, for row provenance */
    int id_col;
    int deleted_col;
    int *idcols; /* columns that may hold ids, Id included */
    size_t nidcols;
    char (*idbuf)[19]; /* canonical ids, one per entry of idcols */
    const char **fields;
    struct csv_record rec;
    long deleted;
};

/* Columns named like lookups ("AccountId", "OwnerId") hold ids. Jigsaw
 * (Data.com) columns end in "Id" too but hold that service's own keys. */
static int is_id_column(const char *name)
{
    size_t n = strlen(name);

    if (!strcmp(name, "Id"))
        return 1;
    if (n < 3 || strcmp(name + n - 2, "Id") || !strncmp(name, "Jigsaw", 6))
        return 0;
    return 1;
}

static void columns_classify(struct sf_reader *r)
{
    size_t ncols = csv_reader_ncols(r->csv);

    r->idcols = xcalloc(ncols, sizeof(*r->idcols));
    r->idbuf = xcalloc(ncols, sizeof(*r->idbuf));
    r->fields = xcalloc(ncols, sizeof(*r->fields));
    for (size_t i = 0; i < ncols; i++)
        if (is_id_column(csv_reader_colname(r->csv, i)))
            r->idcols[r->nidcols++] = (int)i;
    r->id_col = csv_reader_find(r->csv, "Id");
    r->deleted_col = csv_reader_find(r->csv, "IsDeleted");
}

/* A column named twice would have its values read from one of the two
 * places and the other dropped without a word. */
static int header_check(const struct sf_reader *r, const char *path,
                        struct err *e)
{
    size_t n = csv_reader_ncols(r->csv);

    for (size_t i = 1; i < n; i++) {
        const char *name = csv_reader_colname(r->csv, i);
        int first = *name ? csv_reader_find(r->csv, name) : -1;

        if (first >= 0 && (size_t)first < i)
            return err_set(e, ERR_INPUT,
                           "'%s' line 1: column '%s' appears twice in the "
                           "header (columns %d and %zu)",
                           path, name, first + 1, i + 1);
    }
    return 0;
}

int sf_reader_open(const char *export_dir, const char *object,
                   enum csv_encoding enc, struct sf_reader **out, struct err *e)
{
    struct sf_reader *r = NULL;
    char *path = NULL;
    int rc;

    *out = NULL;
    if (!*object || strchr(object, '/'))
        return err_set(e, ERR_USAGE, "'%s' is not a Salesforce object name",
                       object);
    path = xasprintf("%s/%s.csv", export_dir, object);
    r = xcalloc(1, sizeof(*r));
    r->file = xasprintf("%s.csv", object);
    if ((rc = csv_reader_open(path, enc, &r->csv, e)) < 0 ||
        (rc = header_check(r, path, e)) < 0)
        goto out;
    columns_classify(r);
    if (r->id_col < 0)
        rc = err_set(e, ERR_INPUT, "'%s' line 1: no Id column in the header",
                     path);
out:
    free(path);
    if (rc < 0)
        sf_reader_free(r);
    else
        *out = r;
    return rc;
}

/* 1 when the row is deleted, 0 when live, ERR_INPUT when IsDeleted holds
 * something that is not a yes/no value: guessing either way could migrate
 * a deleted record or drop a live one. */
static int row_is_deleted(const struct sf_reader *r,
                          const struct csv_record *raw, struct err *e)
{
    const char *v;
    int b = 0;

    if (r->deleted_col < 0)
        return 0;
    v = raw->fields[r->deleted_col];
    switch (sf_bool(v, &b)) {
    case 0:
        return b;
    case 1:
        return 0; /* empty */
    default:
        return err_set(e, ERR_INPUT,
                       "'%s' line %ld, field IsDeleted: '%s' is not 0 or 1",
                       r->file, raw->line, v);
    }
}

static int id_error(const struct sf_reader *r, const struct csv_record *raw,
                    const char *v, int rc, struct err *e)
{
    if (rc == 1)
        return err_set(e, ERR_INPUT, "'%s' line %ld, field Id: no record id",
                       csv_reader_path(r->csv), raw->line);
    return err_set(e, ERR_INPUT,
                   "'%s' line %ld, field Id: '%.40s' is not a Salesforce id",
                   csv_reader_path(r->csv), raw->line, v);
}

/* Points r->fields at canonical ids for every id column of raw. A lookup
 * that is not an id stays as written, so the link it names is reported
 * as unresolved rather than silently guessed. */
static int ids_canonicalise(struct sf_reader *r, const struct csv_record *raw,
                            struct err *e)
{
    for (size_t k = 0; k < r->nidcols; k++) {
        int c = r->idcols[k];
        const char *v = raw->fields[c];
        size_t n = strlen(v);
        int rc;

        if (c != r->id_col && n != 15 && n != 18)
            continue;
        rc = sf_id_canonical(v, r->idbuf[k]);
        if (c == r->id_col && rc != 0)
            return id_error(r, raw, v, rc, e);
        if (rc >= 0)
            r->fields[c] = r->idbuf[k];
    }
    return 0;
}

int sf_reader_next(struct sf_reader *r, struct sf_row *row, struct err *e)
{
    struct csv_record raw = {0};
    int rc;

    for (;;) {
        rc = csv_reader_next(r->csv, &raw, e);
        row->file = r->file;
        row->line = raw.line;
        if (rc <= 0)
            return rc;
        if ((rc = row_is_deleted(r, &raw, e)) < 0)
            return rc;
        if (rc) {
            r->deleted++;
            continue;
        }
        memcpy(r->fields, raw.fields, raw.nfields * sizeof(*r->fields));
        if ((rc = ids_canonicalise(r, &raw, e)) < 0)
            return rc;
        r->rec.nfields = raw.nfields;
        r->rec.fields = r->fields;
        r->rec.line = raw.line;
        row->file = r->file;
        row->line = raw.line;
        row->rec = &r->rec;
        return 1;
    }
}

int sf_reader_column(const struct sf_reader *r, const char *column)
{
    return csv_reader_find(r->csv, column);
}

const char *sf_row_get(const struct sf_reader *r, const struct sf_row *row,
                       const char *column)
{
    int i = csv_reader_find(r->csv, column);

    if (i < 0 || (size_t)i >= row->rec->nfields)
        return "";
    return row->rec->fields[i];
}

void sf_reader_use_columns(struct sf_reader *r, const int *cols, size_t n)
{
    size_t ncols = csv_reader_ncols(r->csv), kept = 0;
    int *use = xcalloc(n + 2, sizeof(*use));
    unsigned char *wanted = xcalloc(ncols + 1, 1);

    memcpy(use, cols, n * sizeof(*use));
    use[n] = r->id_col;
    use[n + 1] = r->deleted_col;
    csv_reader_use_columns(r->csv, use, n + 2);
    for (size_t i = 0; i < n + 2; i++)
        if (use[i] >= 0 && (size_t)use[i] < ncols)
            wanted[use[i]] = 1;

    /* Only the ids of columns read are worth canonicalising. */
    for (size_t k = 0; k < r->nidcols; k++)
        if (wanted[r->idcols[k]])
            r->idcols[kept++] = r->idcols[k];
    r->nidcols = kept;
    free(wanted);
    free(use);
}

long sf_reader_deleted(const struct sf_reader *r)
{
    return r->deleted;
}

struct csv_reader *sf_reader_csv(struct sf_reader *r)
{
    return r->csv;
}

void sf_reader_free(struct sf_reader *r)
{
    if (!r)
        return;
    csv_reader_free(r->csv);
    free(r->idcols);
    free(r->idbuf);
    free(r->fields);
    free(r->file);
    free(r);
}
