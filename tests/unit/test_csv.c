/* Unit tests for csv/: the streaming reader and the writer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "csv/decode.h"
#include "csv/reader.h"
#include "csv/writer.h"

static char tmp_path[64];

static const char *file_with(const void *data, size_t len)
{
    int fd;

    strcpy(tmp_path, "/tmp/hsm-test-csv-XXXXXX");
    fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return tmp_path;
}

#define FILE_WITH(lit) file_with(lit, sizeof(lit) - 1)

static struct csv_reader *open_ok(const char *path, enum csv_encoding enc)
{
    struct csv_reader *r = NULL;
    struct err e = {0};

    if (csv_reader_open(path, enc, &r, &e) != 0)
        fail_msg("open failed: %s", e.msg);
    return r;
}

static void next_ok(struct csv_reader *r, struct csv_record *rec)
{
    struct err e = {0};
    int rc = csv_reader_next(r, rec, &e);

    if (rc != 1)
        fail_msg("next returned %d: %s", rc, e.msg);
}

static void test_bom_crlf_quotes(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = FILE_WITH("\xef\xbb\xbf\"Id\",\"Name\",\"Note\"\r\n"
                              "\"1\",\"say \"\"hi\"\"\",\"\"\r\n"
                              "2, padded ,x\r\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
    assert_int_equal(csv_reader_ncols(r), 3);
    assert_string_equal(csv_reader_colname(r, 0), "Id");
    assert_int_equal(csv_reader_find(r, "Note"), 2);
    assert_int_equal(csv_reader_find(r, "note"), -1);
    next_ok(r, &rec);
    assert_int_equal(rec.line, 2);
    assert_string_equal(rec.fields[1], "say \"hi\"");
    assert_string_equal(rec.fields[2], "");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 3);
    assert_string_equal(rec.fields[1], " padded ");
    assert_int_equal(csv_reader_next(r, &rec, NULL), 0);
    assert_int_equal(csv_reader_next(r, &rec, NULL), 0);
    csv_reader_free(r);
    unlink(p);
}

static void test_quoted_newlines_lines(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = FILE_WITH("a,b\n"
                              "1,\"two\nlines\"\n"
                              "\n"
                              "2,\"three\r\n\r\nlines\"\r\n"
                              "3,last");

    (void)state;
    r = open_ok(p, CSV_ENC_UTF8);
    next_ok(r, &rec);
    assert_int_equal(rec.line, 2);
    assert_string_equal(rec.fields[1], "two\nlines");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 5);
    assert_string_equal(rec.fields[1], "three\r\n\r\nlines");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 8);
    assert_string_equal(rec.fields[0], "3");
    assert_string_equal(rec.fields[1], "last");
    assert_int_equal(csv_reader_next(r, &rec, NULL), 0);
    csv_reader_free(r);
    unlink(p);
}

static void test_latin1_detected(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = FILE_WITH("Name,City\n\"Jos\xe9 M\xfcller\",K\xf6ln\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_LATIN1);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "Jos\xc3\xa9 M\xc3\xbcller");
    assert_string_equal(rec.fields[1], "K\xc3\xb6ln");
    assert_int_equal(csv_reader_decode_warnings(r), 0);
    csv_reader_free(r);
    unlink(p);
}

static void test_cp1252_detected(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = FILE_WITH("Name\n\"\x93"
                              "Caf\xe9\x94 \x80"
                              "5\"\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_CP1252);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "\xe2\x80\x9c"
                                       "Caf\xc3\xa9\xe2\x80\x9d \xe2\x82\xac"
                                       "5");
    csv_reader_free(r);
    unlink(p);
}

static void test_invalid_bytes_warned(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    /* Mostly UTF-8 with one stray byte: stays UTF-8, the byte is
     * replaced and counted. */
    const char *p = FILE_WITH("Name\n\"Ren\xc3\xa9\"\n\"Zo\xc3\xab\"\n"
                              "\"bad \xff byte\"\n\"na\xc3\xafve\"\n");

    (void)state;
    log_set_level(LOG_ERROR);
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
    next_ok(r, &rec);
    next_ok(r, &rec);
    next_ok(r, &rec);
    assert_int_equal(rec.line, 4);
    assert_string_equal(rec.fields[0], "bad \xef\xbf\xbd byte");
    assert_int_equal(csv_reader_decode_warnings(r), 1);
    csv_reader_free(r);
    unlink(p);

    /* Windows-1252 leaves 0x81 undefined. */
    p = FILE_WITH("Name\n\"a\x81z\"\n");
    r = open_ok(p, CSV_ENC_CP1252);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "a\xef\xbf\xbdz");
    assert_int_equal(csv_reader_decode_warnings(r), 1);
    csv_reader_free(r);
    unlink(p);
    log_set_level(LOG_WARN);
}

/* UTF-8 values beside bytes that are not UTF-8, with no majority to
 * tell damage from a single-byte file: reading it either way would
 * silently garble one kind of value, so the reader asks. */
static void test_mixed_encoding_refused(void **state)
{
    struct csv_reader *r = NULL;
    struct csv_record rec;
    struct err e = {0};
    const char *p = FILE_WITH("Name\n\"M\xc3\xbcller\"\n\"plain\"\n"
                              "\"B\xff\xfez\"\n");

    (void)state;
    /* The header is ASCII, so the scan comes with the first record; the
     * refusal is final, as a read error is. */
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_IO);
    if (!strstr(e.msg, "line 4: cannot tell the encoding: 1 UTF-8 "
                       "characters and 2 bytes that are not UTF-8") ||
        !strstr(e.msg, "source.encoding"))
        fail_msg("message: %s", e.msg);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_IO);
    csv_reader_free(r);

    /* A header that is not ASCII is scanned at once. */
    p = FILE_WITH("N\xc3\xa4me\n\"B\xff\xfez\"\n");
    r = NULL;
    assert_int_equal(csv_reader_open(p, CSV_ENC_AUTO, &r, &e), ERR_IO);
    assert_null(r);
    assert_non_null(strstr(e.msg, "line 2: cannot tell the encoding"));
    unlink(p);
    p = FILE_WITH("Name\n\"M\xc3\xbcller\"\n\"plain\"\n"
                  "\"B\xff\xfez\"\n");

    /* Told, it reads the file as it is told. */
    log_set_level(LOG_ERROR);
    r = open_ok(p, CSV_ENC_UTF8);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "M\xc3\xbcller");
    next_ok(r, &rec);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "B\xef\xbf\xbd\xef\xbf\xbdz");
    csv_reader_free(r);
    r = open_ok(p, CSV_ENC_LATIN1);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "M\xc3\x83\xc2\xbcller");
    csv_reader_free(r);
    log_set_level(LOG_WARN);
    unlink(p);
}

static void test_forced_encoding(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    /* Valid UTF-8 bytes read as Latin-1 on request. */
    const char *p = FILE_WITH("Name\n\xc3\xa9\n");

    (void)state;
    r = open_ok(p, CSV_ENC_LATIN1);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[0], "\xc3\x83\xc2\xa9");
    csv_reader_free(r);
    unlink(p);
}

static void test_nul_stripped(void **state)
{
    static const char data[] = "Id,Body\n1,\"\0<p>rich</p>\"\n2,\"a\0b\"\n";
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = file_with(data, sizeof(data) - 1);

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[1], "<p>rich</p>");
    next_ok(r, &rec);
    assert_string_equal(rec.fields[1], "ab");
    csv_reader_free(r);
    unlink(p);
}

/* Only the columns a caller reads are kept; the others read as "" in a
 * file that needs no decoding. Values, NUL bytes and line numbers come out
 * as for a full read, with CR LF and multi-line values. */
static void test_use_columns(void **state)
{
    static const char data[] = "Id,Skip,Body\r\n"
                               "1,\"\0x\",\"\0<p>a\r\nb</p>\"\r\n"
                               "2,\"multi\r\nline\",\"c\0d\"\r\n"
                               "3,e,f\r\n";
    int cols[] = {0, 2};
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = file_with(data, sizeof(data) - 1);

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    csv_reader_use_columns(r, cols, 2);
    next_ok(r, &rec);
    assert_int_equal(rec.line, 2);
    assert_string_equal(rec.fields[0], "1");
    assert_string_equal(rec.fields[1], "");
    assert_string_equal(rec.fields[2], "<p>a\r\nb</p>");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 4);
    assert_string_equal(rec.fields[1], "");
    assert_string_equal(rec.fields[2], "cd");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 6);
    assert_string_equal(rec.fields[0], "3");
    assert_string_equal(rec.fields[2], "f");
    assert_int_equal(csv_reader_next(r, &rec, NULL), 0);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
    csv_reader_free(r);
    unlink(p);
}

/* In a file that is not UTF-8 the columns read are decoded as ever. */
static void test_use_columns_decoded(void **state)
{
    int cols[] = {1};
    struct csv_reader *r;
    struct csv_record rec;
    const char *p = FILE_WITH("Id,City\n1,K\xf6ln\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    csv_reader_use_columns(r, cols, 1);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[1], "K\xc3\xb6ln");
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_LATIN1);
    csv_reader_free(r);
    unlink(p);
}

static void test_ragged_rows(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p = FILE_WITH("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    next_ok(r, &rec);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 3"));
    assert_non_null(strstr(e.msg, p));
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 4"));
    next_ok(r, &rec);
    assert_int_equal(rec.line, 5);
    assert_string_equal(rec.fields[2], "12");
    csv_reader_free(r);
    unlink(p);
}

/* Lines that end in a bare CR (classic Mac) are counted like LF and
 * CR LF ones, in messages and record lines alike, and a bad row's
 * resync stops at its CR. */
static void test_cr_only_lines(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p = FILE_WITH("a,b,c\r1,2,3\r4,5\r6,\"x\"y,9\r"
                              "7,\"two\rlines\",8\r10,11,12\r");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    next_ok(r, &rec);
    assert_int_equal(rec.line, 2);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 3"));
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 4"));
    next_ok(r, &rec);
    assert_int_equal(rec.line, 5);
    assert_string_equal(rec.fields[1], "two\rlines");
    next_ok(r, &rec);
    assert_int_equal(rec.line, 7);
    assert_string_equal(rec.fields[2], "12");
    assert_int_equal(csv_reader_next(r, &rec, &e), 0);
    csv_reader_free(r);
    unlink(p);
}

static void test_unterminated_quote(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p = FILE_WITH("a,b\n1,2\n3,\"open\nstill\nopen\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    next_ok(r, &rec);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 3"));
    assert_non_null(strstr(e.msg, "unterminated"));
    assert_non_null(strstr(e.msg, "(b)"));
    assert_int_equal(csv_reader_next(r, &rec, &e), 0);
    csv_reader_free(r);
    unlink(p);
}

static void test_malformed_quote_resyncs(void **state)
{
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p = FILE_WITH("a,b\n1,\"x\"y\n2,ok\n");

    (void)state;
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 2"));
    next_ok(r, &rec);
    assert_int_equal(rec.line, 3);
    assert_string_equal(rec.fields[1], "ok");
    csv_reader_free(r);
    unlink(p);
}

static void test_empty_and_header_only(void **state)
{
    struct csv_reader *r = NULL;
    struct csv_record rec;
    struct err e = {0};
    const char *p = file_with("", 0);

    (void)state;
    assert_int_equal(csv_reader_open(p, CSV_ENC_AUTO, &r, &e), ERR_INPUT);
    assert_null(r);
    assert_non_null(strstr(e.msg, "empty"));
    unlink(p);

    p = FILE_WITH("\"Id\",\"Name\"\r\n");
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_ncols(r), 2);
    assert_int_equal(csv_reader_next(r, &rec, &e), 0);
    csv_reader_free(r);
    unlink(p);

    assert_int_equal(
        csv_reader_open("/nonexistent/x.csv", CSV_ENC_AUTO, &r, &e),
        ERR_NOTFOUND);
}

static void test_field_too_large(void **state)
{
    struct buf b = {0};
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p;

    (void)state;
    buf_adds(&b, "a,b\n1,\"");
    for (size_t i = 0; i < CSV_FIELD_MAX / 8 + 1000; i++)
        buf_adds(&b, "xxxxxxxx");
    buf_adds(&b, "\"\n2,small\n");
    p = file_with(b.data, b.len);
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "maximum field size"));
    next_ok(r, &rec);
    assert_string_equal(rec.fields[1], "small");
    csv_reader_free(r);
    unlink(p);
    buf_release(&b);
}

static void test_too_many_fields(void **state)
{
    struct buf b = {0};
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    const char *p;

    (void)state;
    buf_adds(&b, "a\n");
    for (int i = 0; i <= CSV_FIELDS_MAX; i++)
        buf_adds(&b, i ? ",x" : "x");
    buf_adds(&b, "\nlast\n");
    p = file_with(b.data, b.len);
    r = open_ok(p, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_next(r, &rec, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 2"));
    assert_non_null(strstr(e.msg, "too many fields"));
    next_ok(r, &rec);
    assert_int_equal(rec.line, 3);
    assert_string_equal(rec.fields[0], "last");
    csv_reader_free(r);
    unlink(p);
    buf_release(&b);
}

static void test_utf16_refused(void **state)
{
    struct csv_reader *r = NULL;
    struct err e = {0};
    const char *p = FILE_WITH("\xff\xfeI\0d\0\n\0");

    (void)state;
    assert_int_equal(csv_reader_open(p, CSV_ENC_AUTO, &r, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "UTF-16"));
    unlink(p);
}

/* Many records with embedded newlines cross the reader's chunk
 * boundaries; every line number must still be exact. */
static void test_many_records_stream(void **state)
{
    struct buf b = {0};
    struct csv_reader *r;
    struct csv_record rec;
    const char *p;
    long line = 2;

    (void)state;
    buf_adds(&b, "\"Id\",\"Text\"\r\n");
    for (int i = 0; i < 20000; i++)
        buf_addf(&b, "\"%d\",\"r%d\nsecond \"\"line\"\"\"\r\n", i, i);
    p = file_with(b.data, b.len);
    r = open_ok(p, CSV_ENC_AUTO);
    for (int i = 0; i < 20000; i++) {
        char want[64];

        next_ok(r, &rec);
        assert_int_equal(rec.line, line);
        assert_int_equal(atoi(rec.fields[0]), i);
        snprintf(want, sizeof(want), "r%d\nsecond \"line\"", i);
        assert_string_equal(rec.fields[1], want);
        line += 2;
    }
    assert_int_equal(csv_reader_next(r, &rec, NULL), 0);
    csv_reader_free(r);
    unlink(p);
    buf_release(&b);
}

static void test_encoding_parse(void **state)
{
    enum csv_encoding enc;

    (void)state;
    assert_int_equal(csv_encoding_parse("UTF-8", &enc), 0);
    assert_int_equal(enc, CSV_ENC_UTF8);
    assert_int_equal(csv_encoding_parse("latin1", &enc), 0);
    assert_int_equal(enc, CSV_ENC_LATIN1);
    assert_int_equal(csv_encoding_parse("windows-1252", &enc), 0);
    assert_int_equal(enc, CSV_ENC_CP1252);
    assert_int_equal(csv_encoding_parse("auto", &enc), 0);
    assert_int_equal(enc, CSV_ENC_AUTO);
    assert_int_equal(csv_encoding_parse("ebcdic", &enc), ERR_USAGE);
}

static void test_utf8_seqlen(void **state)
{
    (void)state;
    assert_int_equal(csv_utf8_seqlen((const unsigned char *)"a", 1), 1);
    assert_int_equal(csv_utf8_seqlen((const unsigned char *)"\xc3\xa9", 2), 2);
    assert_int_equal(csv_utf8_seqlen((const unsigned char *)"\xc3", 1), -1);
    /* overlong, surrogate, above U+10FFFF */
    assert_int_equal(csv_utf8_seqlen((const unsigned char *)"\xc0\xaf", 2), 0);
    assert_int_equal(csv_utf8_seqlen((const unsigned char *)"\xed\xa0\x80", 3),
                     0);
    assert_int_equal(
        csv_utf8_seqlen((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(
        csv_utf8_seqlen((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
}

static void test_writer_roundtrip(void **state)
{
    static const char *const row1[] = {"Id", "Name", "Body"};
    const char *row2[] = {"1", "Jos\xc3\xa9, \"Pepe\"\nM\xc3\xbcller",
                          "\0<b>x</b>"};
    const size_t lens2[] = {1, strlen(row2[1]), 9};
    struct csv_writer_opts o = {
        .quote_all = 1, .crlf = 1, .enc = CSV_ENC_LATIN1};
    struct csv_writer *w;
    struct csv_reader *r;
    struct csv_record rec;
    struct err e = {0};
    char path[] = "/tmp/hsm-test-csvw-XXXXXX";
    char raw[256] = {0};
    FILE *fp;

    (void)state;
    close(mkstemp(path));
    assert_int_equal(csv_writer_open(path, 0600, &o, &w, &e), 0);
    assert_int_equal(csv_writer_row(w, 3, row1, &e), 0);
    assert_int_equal(csv_writer_row_n(w, 3, row2, lens2, &e), 0);
    assert_int_equal(csv_writer_close(w, &e), 0);

    fp = fopen(path, "rb");
    assert_true(fread(raw, 1, sizeof(raw) - 1, fp) > 0);
    fclose(fp);
    assert_memory_equal(raw, "\"Id\",\"Name\",\"Body\"\r\n\"1\",\"Jos\xe9, ",
                        31);

    r = open_ok(path, CSV_ENC_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_ENC_LATIN1);
    next_ok(r, &rec);
    assert_string_equal(rec.fields[1], row2[1]);
    assert_string_equal(rec.fields[2], "<b>x</b>");
    csv_reader_free(r);
    unlink(path);
}

static void test_writer_minimal_quoting(void **state)
{
    const char *row[] = {"plain", "", "a,b", " lead", "q\"", "\xe2\x82\xac"};
    struct csv_writer *w;
    struct err e = {0};
    char path[] = "/tmp/hsm-test-csvw-XXXXXX";
    char raw[128] = {0};
    FILE *fp;

    (void)state;
    close(mkstemp(path));
    assert_int_equal(csv_writer_open(path, 0600, NULL, &w, &e), 0);
    assert_int_equal(csv_writer_row(w, 6, row, &e), 0);
    assert_int_equal(csv_writer_replaced(w), 0);
    assert_int_equal(csv_writer_close(w, &e), 0);
    fp = fopen(path, "rb");
    assert_true(fread(raw, 1, sizeof(raw) - 1, fp) > 0);
    fclose(fp);
    assert_string_equal(raw,
                        "plain,,\"a,b\",\" lead\",\"q\"\"\",\xe2\x82\xac\n");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf_quotes),
        cmocka_unit_test(test_quoted_newlines_lines),
        cmocka_unit_test(test_latin1_detected),
        cmocka_unit_test(test_cp1252_detected),
        cmocka_unit_test(test_invalid_bytes_warned),
        cmocka_unit_test(test_mixed_encoding_refused),
        cmocka_unit_test(test_forced_encoding),
        cmocka_unit_test(test_nul_stripped),
        cmocka_unit_test(test_use_columns),
        cmocka_unit_test(test_use_columns_decoded),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_cr_only_lines),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_malformed_quote_resyncs),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_field_too_large),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_utf16_refused),
        cmocka_unit_test(test_many_records_stream),
        cmocka_unit_test(test_encoding_parse),
        cmocka_unit_test(test_utf8_seqlen),
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_minimal_quoting),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
