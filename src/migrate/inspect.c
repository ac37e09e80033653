#include "migrate/inspect.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "source/salesforce.h"

#include <stdlib.h>
#include <string.h>

static void count_stage(struct export_file *f, struct sf_reader *rd,
                        const struct sf_row *row)
{
    const char *stage = sf_row_get(rd, row, "StageName");
    json_t *n;

    if (!stage[0])
        return;
    n = json_object_get(f->distinct_stages, stage);
    json_object_set_new(f->distinct_stages, stage,
                        json_integer(n ? json_integer_value(n) + 1 : 1));
}

static int inspect_file(const char *dir, enum csv_encoding enc,
                        struct export_file *f, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct csv_reader *csv;
    struct sf_row row;
    int rc = sf_reader_open(dir, f->object, enc, &rd, e);

    /* An export may lack any of the files: that is no error. */
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        return 0;
    }
    if (rc)
        return rc;
    f->present = 1;
    csv = sf_reader_csv(rd);
    f->ncols = csv_reader_ncols(csv);
    f->cols = xcalloc(f->ncols, sizeof(*f->cols));
    for (size_t i = 0; i < f->ncols; i++)
        f->cols[i] = xstrdup(csv_reader_colname(csv, i));
    if (!strcmp(f->object, "Opportunity"))
        f->distinct_stages = json_object();
    while ((rc = sf_reader_next(rd, &row, e)) != 0) {
        if (rc == ERR_IO)
            break;
        if (rc < 0) {
            /* check and run report the row; init goes on. */
            log_warn("%s", e->msg);
            err_clear(e);
            f->unreadable++;
            continue;
        }
        f->rows++;
        if (f->distinct_stages)
            count_stage(f, rd, &row);
    }
    f->deleted = sf_reader_deleted(rd);
    sf_reader_free(rd);
    return rc;
}

int inspect_export(const char *dir, enum csv_encoding enc,
                   struct export_file files[SF_NOBJECTS], struct err *e)
{
    int rc = 0;

    memset(files, 0, SF_NOBJECTS * sizeof(*files));
    for (int i = 0; i < SF_NOBJECTS && !rc; i++) {
        files[i].object = sf_objects[i];
        rc = inspect_file(dir, enc, &files[i], e);
    }
    if (rc)
        inspect_release(files);
    return rc;
}

void inspect_release(struct export_file files[SF_NOBJECTS])
{
    for (int i = 0; i < SF_NOBJECTS; i++) {
        for (size_t j = 0; j < files[i].ncols; j++)
            free(files[i].cols[j]);
        free(files[i].cols);
        json_decref(files[i].distinct_stages);
    }
}
