/* dates.c: the order of a column's slash dates, learned from its file
 * before any row is mapped, so that check and run read 04/05/2024 alike
 * whichever row of the column shows the order. */
#include "core/log.h"
#include "core/xalloc.h"
#include "migrate/internal.h"
#include "source/salesforce.h"

#include <stdlib.h>

/* Reads only the date columns the plan learns, and IsConverted. */
static void use_date_columns(struct sf_reader *rd, const struct map_plan *plan,
                             int conv)
{
    size_t n = map_plan_nfields(plan), nc = 0;
    int *cols = xcalloc(n + 1, sizeof(*cols));

    for (size_t i = 0; i < n; i++) {
        struct map_field_info fi;

        map_plan_field(plan, i, &fi);
        if (fi.learns)
            cols[nc++] = (int)fi.column;
    }
    cols[nc++] = conv;
    sf_reader_use_columns(rd, cols, nc);
    free(cols);
}

static void report_orders(const struct object_source *src,
                          const struct map_plan *plan)
{
    for (size_t i = 0; i < map_plan_nfields(plan); i++) {
        struct map_field_info fi;

        map_plan_field(plan, i, &fi);
        if (!fi.learns || !(fi.shown_dmy + fi.shown_mdy))
            continue;
        if (fi.date_order)
            log_info("%s: column '%s': slash dates read as %s (%ld values "
                     "show day first, %ld month first)",
                     src->file, fi.field->column, fi.date_order, fi.shown_dmy,
                     fi.shown_mdy);
        else
            log_warn("%s: column '%s': as many values show day first as "
                     "month first (%ld); dates like 04/05/2024 are refused",
                     src->file, fi.field->column, fi.shown_dmy);
    }
}

int mig_learn_dates(const struct mig *m, const struct object_source *src,
                    struct map_plan *plan, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct sf_row row;
    int conv, is_conv = 0, rc;

    if (!map_plan_learns(plan))
        return 0;
    if ((rc = sf_reader_open(m->cfg->input_dir, src->object, m->enc, &rd, e)))
        return rc;
    conv = src->skip_converted ? sf_reader_column(rd, "IsConverted") : -1;
    use_date_columns(rd, plan, conv);

    /* The rows that will be mapped: live ones, converted leads aside.
     * Unreadable rows are reported by the pass that maps. */
    while ((rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO) {
        if (rc < 0 ||
            (conv >= 0 && !sf_bool(row.rec->fields[conv], &is_conv) && is_conv))
            continue;
        map_plan_learn(plan, row.rec->fields);
    }
    sf_reader_free(rd);
    if (rc == ERR_IO)
        return rc;
    map_plan_learned(plan);
    report_orders(src, plan);
    return 0;
}
