/* reader.c: feeds libcsv one physical line at a time, which is what lets
 * the reader know the line of every record and field without a parser of
 * its own, and stops at each record so that only one is held in memory. */
#include "csv/reader.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "csv/decode.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CHUNK_SIZE (256 * 1024)
#define WARN_LIMIT 20

struct csv_reader {
    char *path;
    int fd;
    enum csv_encoding enc;
    int plain;   /* well-formed UTF-8: values are copied, not decoded */
    int has_nul; /* the file holds NUL bytes, which values drop */
    int lf_only; /* every CR is followed by LF: lines split at LF alone */
    /* A plain file with NUL bytes: whether the piece being parsed, and
     * the value in progress, may hold one. */
    int piece_nul, value_nul;
    /* Auto mode with an ASCII header: the encoding scan waits until a
     * record (or the encoding) is asked for. */
    int sniff_pending;
    int sniff_failed;
    struct err sniff_e;
    struct csv_parser parser;
    int eof;      /* the file has no more bytes */
    int finished; /* the parser has been drained */
    unsigned char *chunk;
    size_t clen, cpos;
    off_t chunk_off; /* file offset of chunk[0] */
    off_t file_off;  /* file offset of the next read */

    long line;      /* line of the next byte to feed */
    int line_start; /* the next byte begins a line */
    int after_cr;   /* the last byte fed was a CR: an LF now ends no line */
    int in_record;  /* bytes of an unfinished record have been fed */
    int skip_line;  /* resynchronising after a parse error */
    long rec_line;
    long field_line;

    /* The record being assembled: decoded values one after the other,
     * each NUL-terminated, at offsets offs[0..nf). Values of columns the
     * caller does not use are left out of a plain file's record (skip,
     * per column), their bytes counted in skipped for the size limit. */
    struct buf data;
    size_t skipped;
    unsigned char *skip;
    size_t nskip;
    size_t *offs;
    const char **ptrs;
    size_t nf, cap;
    int rec_done;
    int rec_err;
    struct err rec_e;

    char **cols;
    size_t ncols;
    long decode_warnings;
};

static const struct {
    const char *name;
    enum csv_encoding enc;
} encoding_names[] = {
    {"auto", CSV_ENC_AUTO},           {"utf8", CSV_ENC_UTF8},
    {"utf-8", CSV_ENC_UTF8},          {"latin1", CSV_ENC_LATIN1},
    {"iso-8859-1", CSV_ENC_LATIN1},   {"cp1252", CSV_ENC_CP1252},
    {"windows-1252", CSV_ENC_CP1252},
};

int csv_encoding_parse(const char *name, enum csv_encoding *out)
{
    size_t n = sizeof(encoding_names) / sizeof(encoding_names[0]);

    for (size_t i = 0; i < n; i++) {
        if (!strcasecmp(name, encoding_names[i].name)) {
            *out = encoding_names[i].enc;
            return 0;
        }
    }
    return ERR_USAGE;
}

const char *csv_encoding_name(enum csv_encoding enc)
{
    switch (enc) {
    case CSV_ENC_UTF8:
        return "UTF-8";
    case CSV_ENC_LATIN1:
        return "ISO-8859-1";
    case CSV_ENC_CP1252:
        return "Windows-1252";
    default:
        return "auto";
    }
}

/* libcsv's value buffer is the one place a runaway quoted value could
 * grow without bound; refusing to grow it makes csv_parse stop. */
static void *capped_realloc(void *p, size_t n)
{
    if (n > CSV_FIELD_MAX + 4096)
        return NULL;
    return realloc(p, n);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void parser_start(struct csv_reader *r)
{
    csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_space_func(&r->parser, no_space);
    csv_set_realloc_func(&r->parser, capped_realloc);
    csv_set_blk_size(&r->parser, 4096);
}

static const char *column_label(const struct csv_reader *r, size_t i)
{
    return i < r->ncols ? r->cols[i] : "beyond the header";
}

static void record_fail(struct csv_reader *r, const char *why)
{
    if (r->rec_err)
        return;
    r->rec_err = 1;
    err_set(&r->rec_e, ERR_INPUT, "'%s' line %ld, field %zu (%s): %s", r->path,
            r->rec_line, r->nf + 1, column_label(r, r->nf), why);
}

static void warn_undecodable(struct csv_reader *r, const unsigned char *s,
                             size_t first_bad, size_t nbad)
{
    long line = r->field_line;

    r->decode_warnings += (long)nbad;
    if (r->decode_warnings - (long)nbad >= WARN_LIMIT)
        return;
    for (size_t i = 0; i < first_bad; i++)
        line += s[i] == '\n';
    log_warn("'%s' line %ld, field %zu (%s): %zu byte(s) not valid %s, "
             "replaced by U+FFFD",
             r->path, line, r->nf + 1, column_label(r, r->nf), nbad,
             csv_encoding_name(r->enc));
    if (r->decode_warnings >= WARN_LIMIT)
        log_warn("'%s': further undecodable bytes are counted, not shown",
                 r->path);
}

static void value_decode(struct csv_reader *r, const unsigned char *s,
                         size_t len)
{
    size_t first_bad = 0, nbad;

    nbad = csv_decode_append(r->enc, s, len, &r->data, &first_bad);
    buf_addc(&r->data, '\0');
    if (nbad)
        warn_undecodable(r, s, first_bad, nbad);
}

/* offs[] of a value left out: it reads as "". */
#define NO_VALUE ((size_t)-1)

/* A value of a plain file that holds no NUL byte: copied as it is. */
static void value_copy(struct csv_reader *r, const char *s, size_t len)
{
    struct buf *d = &r->data;

    if (d->len + len + 2 > d->cap)
        buf_grow(d, len + 1);
    memcpy(d->data + d->len, s, len);
    d->len += len;
    d->data[d->len++] = '\0';
    d->data[d->len] = '\0';
}

/* Makes room for one more value; 0 when the record cannot take it. */
static int field_room(struct csv_reader *r)
{
    if (r->rec_err)
        return 0;
    if (r->nf >= CSV_FIELDS_MAX) {
        record_fail(r, "too many fields");
        return 0;
    }
    if (r->nf == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->offs = xrealloc(r->offs, r->cap * sizeof(*r->offs));
        r->ptrs = xrealloc(r->ptrs, r->cap * sizeof(*r->ptrs));
    }
    return 1;
}

static void value_add(struct csv_reader *r, const char *s, size_t len)
{
    size_t i = r->nf;

    if ((r->rec_err || i >= CSV_FIELDS_MAX || i == r->cap) && !field_room(r))
        return;
    r->offs[i] = r->data.len;
    if (r->plain && !(r->value_nul && memchr(s, 0, len)))
        value_copy(r, s, len);
    else
        value_decode(r, (const unsigned char *)s, len);
    if (r->data.len + r->skipped > CSV_RECORD_MAX)
        record_fail(r, "record larger than the maximum record size");
    r->nf = i + 1;
}

static void on_field(void *s, size_t len, void *data)
{
    struct csv_reader *r = data;
    size_t i = r->nf;

    /* A plain file needs no decoding, so a value nobody reads needs no
     * copy either; it still counts toward the record size, NUL bytes
     * included. (The header made room for every column.) */
    if (r->plain && i < r->nskip && r->skip[i] && !r->rec_err) {
        r->offs[i] = NO_VALUE;
        r->skipped += len + 1;
        if (r->data.len + r->skipped > CSV_RECORD_MAX)
            record_fail(r, "record larger than the maximum record size");
        r->nf = i + 1;
    } else {
        value_add(r, s, len);
    }
    r->field_line = r->line;

    /* The next value starts in this piece. */
    r->value_nul = r->piece_nul;
}

static void on_record(int c, void *data)
{
    struct csv_reader *r = data;

    (void)c;
    r->rec_done = 1;
}

static int chunk_fill(struct csv_reader *r, struct err *e)
{
    ssize_t got;

    do
        got = read(r->fd, r->chunk, CHUNK_SIZE);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return err_set(e, ERR_IO, "cannot read '%s': %s", r->path,
                       strerror(errno));
    r->chunk_off = r->file_off;
    r->file_off += got;
    r->clen = (size_t)got;
    r->cpos = 0;
    r->eof = got == 0;
    return 0;
}

/* After a parse error nothing in the parser can be trusted: start a fresh
 * one at the next physical line. */
static void parser_resync(struct csv_reader *r, int at_eol)
{
    csv_free(&r->parser);
    parser_start(r);
    r->in_record = 0;
    r->skip_line = !at_eol;
}

static void parse_failed(struct csv_reader *r)
{
    int st = csv_error(&r->parser);
    const char *why = "malformed quoting (a quote inside a quoted value "
                      "must be doubled)";

    if (st == CSV_ENOMEM || st == CSV_ETOOBIG)
        why = "value longer than the maximum field size";
    if (!r->rec_err)
        err_set(&r->rec_e, ERR_INPUT, "'%s' line %ld, field %zu (%s): %s",
                r->path, r->line, r->nf + 1, column_label(r, r->nf), why);
    r->rec_err = 1;
    r->rec_done = 1;
}

/* Counts the line a piece or a skip ends with: LF, CR LF and a bare CR
 * each end one (classic Mac files end lines with CR alone). */
static void count_eol(struct csv_reader *r, unsigned char last, size_t n)
{
    if (last == '\r' || (last == '\n' && !(n == 1 && r->after_cr)))
        r->line++;
    r->after_cr = last == '\r';
}

static void skip_to_eol(struct csv_reader *r)
{
    unsigned char *p = r->chunk + r->cpos;
    size_t n = r->clen - r->cpos;
    unsigned char *nl = memchr(p, '\n', n);
    unsigned char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : n);
    unsigned char *end = cr ? cr : nl;

    if (!end) {
        r->cpos = r->clen;
        r->after_cr = 0;
        return;
    }
    if (end == p && *end == '\n' && r->after_cr) {
        /* The LF of a CR LF whose CR ended the skipped line. */
        r->cpos++;
        r->after_cr = 0;
        return;
    }
    r->cpos = (size_t)(end - r->chunk) + 1;
    count_eol(r, *end, (size_t)(end - p) + 1);
    r->line_start = 1;
    r->skip_line = 0;
}

/* The bytes up to and including the next CR or LF, or the chunk's end. */
static size_t piece_len(const struct csv_reader *r)
{
    const unsigned char *p = r->chunk + r->cpos;
    size_t n = r->clen - r->cpos;
    const unsigned char *lf = memchr(p, '\n', n);
    const unsigned char *cr, *end;

    /* Where every CR ends a line with its LF, a CR LF piece reads the
     * same as the CR and the LF fed apart. */
    if (r->lf_only)
        return lf ? (size_t)(lf - p) + 1 : n;
    cr = memchr(p, '\r', lf ? (size_t)(lf - p) : n);
    end = cr ? cr : lf;
    return end ? (size_t)(end - p) + 1 : n;
}

static int piece_blank(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

static void feed_piece(struct csv_reader *r)
{
    unsigned char *p = r->chunk + r->cpos;
    size_t n = piece_len(r);
    unsigned char last = p[n - 1];
    int eol = last == '\n' || last == '\r';

    if (r->line_start && !r->in_record) {
        r->rec_line = r->line;
        r->field_line = r->line;
    }
    if (r->has_nul) {
        r->piece_nul = memchr(p, 0, n) != NULL;
        r->value_nul |= r->piece_nul;
    }
    if (csv_parse(&r->parser, p, n, on_field, on_record, r) != n) {
        parse_failed(r);
        parser_resync(r, last == '\n' || last == '\r');
    } else if (r->rec_done) {
        r->in_record = 0;
    } else if (!piece_blank(p, n)) {
        r->in_record = 1;
    }
    r->cpos += n;
    r->line_start = eol;
    count_eol(r, last, n);
}

static void parser_drain(struct csv_reader *r)
{
    r->finished = 1;
    if (csv_fini(&r->parser, on_field, on_record, r) == 0)
        return;
    r->rec_done = 1;
    r->rec_err = 0;
    err_set(&r->rec_e, ERR_INPUT,
            "'%s' line %ld, field %zu (%s): unterminated quoted value at "
            "end of file",
            r->path, r->field_line, r->nf + 1, column_label(r, r->nf));
    r->rec_err = 1;
}

/* Reads raw fields until one record is complete or the input ends.
 * Returns 1 with a record (which may carry rec_err), 0 at end. */
static int record_read(struct csv_reader *r, struct err *e)
{
    int rc;

    buf_reset(&r->data);
    r->skipped = 0;
    r->nf = 0;
    r->rec_done = 0;
    r->rec_err = 0;
    while (!r->rec_done) {
        if (r->finished)
            return 0;
        if (r->cpos == r->clen) {
            if (r->eof) {
                parser_drain(r);
                continue;
            }
            if ((rc = chunk_fill(r, e)) < 0)
                return rc;
            continue;
        }
        if (r->skip_line)
            skip_to_eol(r);
        else
            feed_piece(r);
    }
    return 1;
}

static void record_export(struct csv_reader *r, struct csv_record *rec)
{
    for (size_t i = 0; i < r->nf; i++)
        r->ptrs[i] = r->offs[i] == NO_VALUE ? "" : r->data.data + r->offs[i];
    rec->nfields = r->nf;
    rec->fields = r->ptrs;
    rec->line = r->rec_line;
}

static int sniff_now(struct csv_reader *r, struct err *e);

int csv_reader_next(struct csv_reader *r, struct csv_record *rec, struct err *e)
{
    int rc;

    if (r->sniff_pending && sniff_now(r, &r->sniff_e) < 0)
        r->sniff_failed = 1;
    if (r->sniff_failed) {
        if (e)
            *e = r->sniff_e;
        return r->sniff_e.code;
    }
    rc = record_read(r, e);

    if (rc <= 0)
        return rc;
    rec->line = r->rec_line;
    if (r->rec_err) {
        if (e)
            *e = r->rec_e;
        return r->rec_e.code;
    }
    if (r->nf != r->ncols)
        return err_set(e, ERR_INPUT,
                       "'%s' line %ld: %zu fields where the header has %zu",
                       r->path, r->rec_line, r->nf, r->ncols);
    record_export(r, rec);
    return 1;
}

static int starts_with_bom(const struct csv_reader *r)
{
    return r->clen >= 3 && !memcmp(r->chunk, "\xef\xbb\xbf", 3);
}

/* The physical line of the first byte that is not UTF-8 (0 when none),
 * for the message that refuses a mixed file: a second pass, line by line,
 * on a path taken once per file at most. */
static long first_bad_line(struct csv_reader *r)
{
    struct csv_sniff s = {0};
    long line = 1;

    if (lseek(r->fd, 0, SEEK_SET) < 0)
        return 0;
    while (!chunk_fill(r, NULL) && !r->eof) {
        const unsigned char *p = r->chunk, *end = r->chunk + r->clen;

        while (p < end) {
            const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

            csv_sniff_feed(&s, p, n);
            if (s.invalid)
                return line;
            line += nl != NULL;
            p += n;
        }
    }
    return 0;
}

/* UTF-8 characters and bytes that are not UTF-8, neither a clear
 * majority: a UTF-8 file with damage, or a single-byte file, or two
 * files pasted together. Any guess silently garbles one kind of value. */
static int mixed_refuse(struct csv_reader *r, const struct csv_sniff *s,
                        struct err *e)
{
    return err_set(e, ERR_IO,
                   "'%s' line %ld: cannot tell the encoding: %ld UTF-8 "
                   "characters and %ld bytes that are not UTF-8 (the first "
                   "on this line); set source.encoding to \"utf-8\" (the "
                   "other bytes become U+FFFD), \"latin1\" or \"cp1252\"",
                   r->path, first_bad_line(r), s->multibyte, s->invalid);
}

/* Reads the whole file once to choose its encoding (a BOM has chosen
 * it already) and to learn whether its values can be copied as they
 * are. */
static int encoding_sniff(struct csv_reader *r, int has_bom, struct err *e)
{
    struct csv_sniff s = {0};
    int rc;

    /* The first chunk is already in memory. */
    csv_sniff_feed(&s, r->chunk, r->clen);
    while (!r->eof) {
        if ((rc = chunk_fill(r, e)) < 0)
            return rc;
        csv_sniff_feed(&s, r->chunk, r->clen);
    }
    r->enc = csv_sniff_result(&s); /* also counts a cut-off sequence */
    if (has_bom)
        r->enc = CSV_ENC_UTF8;
    if (r->enc != CSV_ENC_UTF8 && s.multibyte > 0)
        return mixed_refuse(r, &s, e);
    r->plain = r->enc == CSV_ENC_UTF8 && csv_sniff_plain(&s);
    r->has_nul = s.nul > 0;
    r->lf_only = s.bare_cr == 0;
    if (r->enc != CSV_ENC_UTF8)
        log_info("'%s' is not UTF-8: reading it as %s", r->path,
                 csv_encoding_name(r->enc));
    if (lseek(r->fd, 0, SEEK_SET) < 0)
        return err_set(e, ERR_IO, "cannot rewind '%s': %s", r->path,
                       strerror(errno));
    r->file_off = 0;
    r->eof = 0;
    r->clen = r->cpos = 0;
    return 0;
}

/* The scan a pending reader skipped: from the start of the file, then
 * back to where the reader stands. */
static int sniff_now(struct csv_reader *r, struct err *e)
{
    off_t off = r->chunk_off;
    size_t pos = r->cpos;
    int rc;

    r->sniff_pending = 0;
    if (lseek(r->fd, 0, SEEK_SET) < 0)
        return err_set(e, ERR_IO, "cannot rewind '%s': %s", r->path,
                       strerror(errno));
    r->file_off = 0;
    if ((rc = chunk_fill(r, e)) < 0 ||
        (rc = encoding_sniff(r, starts_with_bom(r), e)) < 0)
        return rc;
    if (lseek(r->fd, off, SEEK_SET) < 0)
        return err_set(e, ERR_IO, "cannot seek in '%s': %s", r->path,
                       strerror(errno));
    r->file_off = off;
    if ((rc = chunk_fill(r, e)) < 0)
        return rc;
    r->cpos = pos;
    return 0;
}

/* Export headers are plain ASCII, which reads the same in every
 * encoding: the header can be read before the encoding is chosen, so a
 * reader opened only for its header never scans the whole file. True
 * when the first line is ASCII and closes every quote it opens. */
static int header_is_ascii(const struct csv_reader *r)
{
    const unsigned char *p = r->chunk + r->cpos;
    const unsigned char *nl = memchr(p, '\n', r->clen - r->cpos);
    size_t quotes = 0;

    if (!nl)
        return 0;
    for (; p < nl; p++) {
        if (*p >= 0x80)
            return 0;
        quotes += *p == '"';
    }
    return quotes % 2 == 0;
}

/* Chooses the encoding and positions the reader after any BOM. */
static int encoding_setup(struct csv_reader *r, struct err *e)
{
    int rc = chunk_fill(r, e);

    if (rc < 0)
        return rc;

    /* Excel's "Unicode text" is UTF-16: every other byte is NUL, which
     * would be dropped silently value by value. */
    if (r->clen >= 2 && ((r->chunk[0] == 0xff && r->chunk[1] == 0xfe) ||
                         (r->chunk[0] == 0xfe && r->chunk[1] == 0xff)))
        return err_set(e, ERR_INPUT,
                       "'%s' is UTF-16 text: save it as UTF-8 CSV first",
                       r->path);
    if (r->enc == CSV_ENC_AUTO) {
        r->cpos = starts_with_bom(r) ? 3 : 0;
        if (header_is_ascii(r)) {
            r->sniff_pending = 1;
            r->enc = CSV_ENC_UTF8; /* for the header; the scan decides */
            return 0;
        }
        r->cpos = 0;
        if ((rc = encoding_sniff(r, starts_with_bom(r), e)) < 0 ||
            (rc = chunk_fill(r, e)) < 0)
            return rc;
    }
    if (r->enc == CSV_ENC_UTF8 && starts_with_bom(r))
        r->cpos = 3;
    return 0;
}

static int header_read(struct csv_reader *r, struct err *e)
{
    int rc = record_read(r, e);

    if (rc < 0)
        return rc;
    if (rc == 0)
        return err_set(e, ERR_INPUT, "'%s' is empty: no header row", r->path);
    if (r->rec_err) {
        if (e)
            *e = r->rec_e;
        return r->rec_e.code;
    }
    r->ncols = r->nf;
    r->cols = xcalloc(r->nf, sizeof(*r->cols));
    for (size_t i = 0; i < r->nf; i++)
        r->cols[i] = xstrdup(r->data.data + r->offs[i]);
    return 0;
}

int csv_reader_open(const char *path, enum csv_encoding enc,
                    struct csv_reader **out, struct err *e)
{
    struct csv_reader *r = xcalloc(1, sizeof(*r));
    int rc;

    r->path = xstrdup(path);
    r->fd = -1;
    r->enc = enc;
    r->line = 1;
    r->line_start = 1;
    r->chunk = xmalloc(CHUNK_SIZE);
    parser_start(r);
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        rc = err_set(e, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
                     "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    if ((rc = encoding_setup(r, e)) < 0 || (rc = header_read(r, e)) < 0)
        goto out;
out:
    if (rc < 0) {
        csv_reader_free(r);
        r = NULL;
    }
    *out = r;
    return rc;
}

size_t csv_reader_ncols(const struct csv_reader *r)
{
    return r->ncols;
}

const char *csv_reader_colname(const struct csv_reader *r, size_t i)
{
    return i < r->ncols ? r->cols[i] : NULL;
}

void csv_reader_use_columns(struct csv_reader *r, const int *cols, size_t n)
{
    free(r->skip);
    r->nskip = r->ncols;
    r->skip = xmalloc(r->ncols + 1);
    memset(r->skip, 1, r->ncols + 1);
    for (size_t i = 0; i < n; i++)
        if (cols[i] >= 0 && (size_t)cols[i] < r->ncols)
            r->skip[cols[i]] = 0;
}

int csv_reader_find(const struct csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->cols[i], name))
            return (int)i;
    return -1;
}

enum csv_encoding csv_reader_encoding(struct csv_reader *r)
{
    if (r->sniff_pending && sniff_now(r, &r->sniff_e) < 0)
        r->sniff_failed = 1;
    return r->enc;
}

const char *csv_reader_path(const struct csv_reader *r)
{
    return r->path;
}

long csv_reader_decode_warnings(const struct csv_reader *r)
{
    return r->decode_warnings;
}

void csv_reader_free(struct csv_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    csv_free(&r->parser);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->cols[i]);
    free(r->cols);
    buf_release(&r->data);
    free(r->skip);
    free(r->offs);
    free(r->ptrs);
    free(r->chunk);
    free(r->path);
    free(r);
}
