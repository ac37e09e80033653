/* inspect.h: what `init` learns from an export directory. */
#ifndef HSM_MIGRATE_INSPECT_H
#define HSM_MIGRATE_INSPECT_H

#include "csv/reader.h"
#include "mapping/sf_defaults.h"

struct err;

/* Reads every known file of the export once: columns, live and deleted
 * rows, and (for Opportunity.csv) the distinct stage names. A missing
 * file is not an error (present = 0); an unreadable one is, and then
 * files holds nothing to release. */
int inspect_export(const char *dir, enum csv_encoding enc,
                   struct export_file files[SF_NOBJECTS], struct err *e);
void inspect_release(struct export_file files[SF_NOBJECTS]);

#endif
