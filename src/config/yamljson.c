#include "config/yamljson.h"
#include "core/err.h"

#include <errno.h>
#include <string.h>
#include <yaml.h>

/* Deep enough for any sane config, shallow enough that a hostile file
 * cannot exhaust the stack through recursion. */
#define YAMLJSON_MAX_DEPTH 32

static json_t *node_to_json(yaml_document_t *doc, yaml_node_t *node, int depth)
{
    json_t *out = NULL;

    if (!node || depth > YAMLJSON_MAX_DEPTH)
        return NULL;
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return json_stringn((const char *)node->data.scalar.value,
                            node->data.scalar.length);
    case YAML_SEQUENCE_NODE:
        out = json_array();
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            json_t *v =
                node_to_json(doc, yaml_document_get_node(doc, *it), depth + 1);
            if (!v)
                goto fail;
            json_array_append_new(out, v);
        }
        return out;
    case YAML_MAPPING_NODE:
        out = json_object();
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
             p < node->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            json_t *v;

            if (!k || k->type != YAML_SCALAR_NODE)
                goto fail;
            v = node_to_json(doc, yaml_document_get_node(doc, p->value),
                             depth + 1);
            if (!v)
                goto fail;
            json_object_set_new(out, (const char *)k->data.scalar.value, v);
        }
        return out;
    default:
        return NULL;
    }
fail:
    json_decref(out);
    return NULL;
}

int yamljson_load(const char *path, json_t **out, struct err *e)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    FILE *f;
    int rc = 0;

    *out = NULL;
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
    *out = node_to_json(&doc, yaml_document_get_root_node(&doc), 0);
    if (!*out)
        rc = err_set(e, ERR_USAGE,
                     "cannot read '%s': empty, too deeply nested, or a "
                     "mapping key that is not a plain value",
                     path);
    yaml_document_delete(&doc);
out:
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

void yamljson_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}
