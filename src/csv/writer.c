/* writer.c: a record is assembled in memory, then written in one call, so
 * a write error is noticed at the record that caused it. */
#include "csv/writer.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "csv/decode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct csv_writer {
    char *path;
    FILE *fp;
    struct csv_writer_opts opts;
    struct buf line;
    struct buf value;
    long replaced;
};

int csv_writer_open(const char *path, mode_t mode,
                    const struct csv_writer_opts *opts, struct csv_writer **out,
                    struct err *e)
{
    struct csv_writer *w = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    FILE *fp;

    *out = NULL;
    if (fd < 0)
        return err_set(e, ERR_IO, "cannot create '%s': %s", path,
                       strerror(errno));
    /* An existing file keeps its old mode through O_TRUNC: reports hold
     * personal data, so set it again. */
    if (fchmod(fd, mode) < 0) {
        close(fd);
        return err_set(e, ERR_IO, "cannot set the mode of '%s': %s", path,
                       strerror(errno));
    }
    fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        return err_set(e, ERR_IO, "cannot open '%s': %s", path,
                       strerror(errno));
    }
    w = xcalloc(1, sizeof(*w));
    w->path = xstrdup(path);
    w->fp = fp;
    if (opts)
        w->opts = *opts;
    setvbuf(fp, NULL, _IOFBF, 256 * 1024);
    *out = w;
    return 0;
}

static int needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return 1;
    return 0;
}

static void value_add(struct csv_writer *w, const char *s, size_t n)
{
    const char *v = s;
    int quote;

    /* UTF-8 is written as it is, without a copy. */
    if (w->opts.enc == CSV_ENC_LATIN1 || w->opts.enc == CSV_ENC_CP1252) {
        buf_reset(&w->value);
        w->replaced += (long)csv_encode_append(
            w->opts.enc, (const unsigned char *)s, n, &w->value);
        v = w->value.data ? w->value.data : "";
        n = w->value.len;
    }
    quote = w->opts.quote_all || needs_quotes(v, n);
    if (!quote) {
        buf_add(&w->line, v, n);
        return;
    }
    buf_addc(&w->line, '"');
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '"')
            buf_addc(&w->line, '"');
        buf_addc(&w->line, v[i]);
    }
    buf_addc(&w->line, '"');
}

int csv_writer_row_n(struct csv_writer *w, size_t n, const char *const *fields,
                     const size_t *lens, struct err *e)
{
    buf_reset(&w->line);
    for (size_t i = 0; i < n; i++) {
        const char *f = fields[i] ? fields[i] : "";

        if (i > 0)
            buf_addc(&w->line, ',');
        value_add(w, f, lens ? lens[i] : strlen(f));
    }
    buf_adds(&w->line, w->opts.crlf ? "\r\n" : "\n");
    if (fwrite(w->line.data, 1, w->line.len, w->fp) != w->line.len)
        return err_set(e, ERR_IO, "cannot write '%s': %s", w->path,
                       strerror(errno));
    return 0;
}

int csv_writer_row(struct csv_writer *w, size_t n, const char *const *fields,
                   struct err *e)
{
    return csv_writer_row_n(w, n, fields, NULL, e);
}

long csv_writer_replaced(const struct csv_writer *w)
{
    return w->replaced;
}

int csv_writer_close(struct csv_writer *w, struct err *e)
{
    int rc = 0;

    if (!w)
        return 0;
    if (fclose(w->fp) != 0)
        rc = err_set(e, ERR_IO, "cannot write '%s': %s", w->path,
                     strerror(errno));
    buf_release(&w->line);
    buf_release(&w->value);
    free(w->path);
    free(w);
    return rc;
}
