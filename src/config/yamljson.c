#include "config/yamljson.h"
#include "core/err.h"

#include <errno.h>
#include <string.h>
#include <yaml.h>

/* Deep enough for any sane config, shallow enough that a hostile file
 * cannot exhaust the stack through recursion. */
#define YAMLJSON_MAX_DEPTH 32
/* Aliases let a few lines stand for billions of values; a config has a
 * few thousand at most. */
#define YAMLJSON_MAX_VALUES 100000

struct conv {
    yaml_document_t *doc;
    const char *path;
    long values;
    struct err *e;
};

static json_t *node_to_json(struct conv *c, yaml_node_t *node, int depth);

static json_t *seq_to_json(struct conv *c, yaml_node_t *node, int depth)
{
    json_t *out = json_array();

    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++) {
        json_t *v =
            node_to_json(c, yaml_document_get_node(c->doc, *it), depth + 1);

        if (!v) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, v);
    }
    return out;
}

static json_t *map_to_json(struct conv *c, yaml_node_t *node, int depth)
{
    json_t *out = json_object();

    for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
         p < node->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const char *key;
        json_t *v;

        if (!k || k->type != YAML_SCALAR_NODE)
            goto fail;
        key = (const char *)k->data.scalar.value;
        if (json_object_get(out, key)) {
            err_set(c->e, ERR_USAGE,
                    "%s line %lu: key '%s' appears twice in one mapping",
                    c->path, (unsigned long)k->start_mark.line + 1, key);
            goto fail;
        }
        v = node_to_json(c, yaml_document_get_node(c->doc, p->value),
                         depth + 1);
        if (!v)
            goto fail;
        json_object_set_new(out, key, v);
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *node_to_json(struct conv *c, yaml_node_t *node, int depth)
{
    if (!node || depth > YAMLJSON_MAX_DEPTH)
        return NULL;
    if (++c->values > YAMLJSON_MAX_VALUES) {
        err_set(c->e, ERR_USAGE,
                "%s: more than %d values (aliases that expand too far?)",
                c->path, YAMLJSON_MAX_VALUES);
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return json_stringn((const char *)node->data.scalar.value,
                            node->data.scalar.length);
    case YAML_SEQUENCE_NODE:
        return seq_to_json(c, node, depth);
    case YAML_MAPPING_NODE:
        return map_to_json(c, node, depth);
    default:
        return NULL;
    }
}

/* 1 when the stream ends after the first document; else 0 with e set. */
static int more_documents(yaml_parser_t *parser, const char *path,
                          struct err *e)
{
    yaml_document_t next;
    int empty;

    if (!yaml_parser_load(parser, &next)) {
        err_set(e, ERR_USAGE, "cannot parse '%s' line %lu column %lu: %s", path,
                (unsigned long)parser->problem_mark.line + 1,
                (unsigned long)parser->problem_mark.column + 1,
                parser->problem ? parser->problem : "invalid YAML");
        return 0;
    }
    empty = !yaml_document_get_root_node(&next);
    if (!empty)
        err_set(e, ERR_USAGE,
                "'%s' line %lu: a second YAML document ('---'); the project "
                "config is one document, and a second one's settings would "
                "be ignored",
                path, (unsigned long)next.start_mark.line + 1);
    yaml_document_delete(&next);
    return empty;
}

int yamljson_load(const char *path, json_t **out, struct err *e)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct conv c = {.path = path, .e = e};
    FILE *f;
    int rc = 0;

    *out = NULL;
    err_clear(e);
    f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "cannot read '%s': %s", path,
                       strerror(errno));
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = err_set(e, ERR_USAGE, "cannot parse '%s' line %lu column %lu: %s",
                     path, (unsigned long)parser.problem_mark.line + 1,
                     (unsigned long)parser.problem_mark.column + 1,
                     parser.problem ? parser.problem : "invalid YAML");
        goto out;
    }
    c.doc = &doc;
    *out = node_to_json(&c, yaml_document_get_root_node(&doc), 0);
    if (!*out && e && e->code)
        rc = e->code;
    else if (!*out)
        rc = err_set(e, ERR_USAGE,
                     "cannot read '%s': empty, too deeply nested, or a "
                     "mapping key that is not a plain value",
                     path);
    yaml_document_delete(&doc);
    /* One document only: a second one's settings would be ignored. */
    if (!rc && !more_documents(&parser, path, e))
        rc = e->code;
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
out:
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

void yamljson_put_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    fputc('"', f);
    for (; *p; p++) {
        unsigned char c = *p;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1 */
            fprintf(f, "\\x%02x", *++p);
        else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            fputs(p[2] == 0xa8 ? "\\L" : "\\P", f);
            p += 2;
        } else if (c == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
                                 (p[1] == 0xbf && p[2] >= 0xbe))) {
            fprintf(f, "\\u%04X",
                    p[1] == 0xbb ? 0xFEFF : 0xFFC0 | (p[2] & 0x3f));
            p += 2;
        } else
            fputc(c, f);
    }
    fputc('"', f);
}

int yamljson_long_key(const char *s)
{
    /* Escapes can double a byte, and YAML counts characters: any key
     * over a quarter of the limit in bytes takes the explicit form. */
    return strlen(s) > 256;
}
