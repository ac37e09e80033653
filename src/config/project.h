/* project.h: the project directory and its config file, hsmigrate.yaml.
 *
 * `hsmigrate init` writes the config; every later command reads it. The
 * format is documented in docs/config.md. struct project_config owns all
 * of its strings and is released by project_config_release.
 */
#ifndef HSM_CONFIG_PROJECT_H
#define HSM_CONFIG_PROJECT_H

#include <jansson.h>
#include <stddef.h>

struct err;

enum object_kind { OBJ_COMPANIES, OBJ_CONTACTS, OBJ_DEALS, OBJ_COUNT };

/* How a source value becomes a HubSpot value. */
enum xform {
    XF_TEXT,      /* as is (NULs stripped by the reader) */
    XF_EMAIL,     /* trimmed, lowercased, validated */
    XF_DOMAIN,    /* scheme, www. and path removed, lowercased */
    XF_NUMBER,    /* plain decimal */
    XF_BOOL,      /* 0/1, true/false -> true/false */
    XF_DATE,      /* a date; written as the target property's type wants */
    XF_DATETIME,  /* a datetime, written as ISO 8601 UTC */
    XF_OWNER,     /* source user id -> HubSpot owner id, by email */
    XF_DEALSTAGE, /* source stage label -> stage id of the pipeline */
    XF_ENUM,      /* label or value -> option value (multi-select too) */
    XF_PIPELINE,  /* pipeline label or id -> deal pipeline id */
    XF_COUNT
};

/* What an enumeration does with a value that matches no option. */
enum unknown_policy {
    UNKNOWN_ERROR,   /* reject the row, listing the allowed values */
    UNKNOWN_DEFAULT, /* write field_map.default_value instead */
    UNKNOWN_CREATE,  /* add the option to the property before the run */
    UNKNOWN_COUNT
};

/* Per-field options; each is optional in the config file. The numeric
 * ones hold values of enum xf_date_format and enum xf_locale
 * (mapping/transform.h); -1 means "the project's default". */
struct field_map {
    char *column;
    char *property;
    enum xform xform;
    int date_format;
    int locale;
    char *separator; /* multi-select parts in the source; NULL: ";" */
    json_t *values;  /* source value -> HubSpot value, tried first */
    enum unknown_policy on_unknown;
    char *default_value; /* for UNKNOWN_DEFAULT */
};

struct object_source {
    char *file;   /* "Contact.csv" */
    char *object; /* "Contact": the file name without .csv */
    struct field_map *fields;
    size_t nfields;
    json_t *set;        /* constant properties written on every record */
    int skip_converted; /* Lead.csv: skip rows with IsConverted = 1 */
};

struct object_map {
    struct object_source *sources;
    size_t nsources;
};

enum link_kind {
    LINK_CONTACT_COMPANY,
    LINK_DEAL_COMPANY,
    LINK_DEAL_CONTACT,
    LINK_COUNT
};

struct link_map {
    enum link_kind kind;
    char *file;
    char *object;
    char *from_column; /* source id of the "from" record */
    char *to_column;   /* source id of the "to" record */
};

struct project_config {
    char *dir;         /* the project directory */
    char *path;        /* DIR/hsmigrate.yaml */
    char *source_type; /* "salesforce" */
    char *input_dir;   /* the export directory, absolute */
    char *encoding;    /* "auto", "utf-8", "latin1", "cp1252" */
    char *id_property; /* "salesforce_id" */
    int concurrency;
    long daily_floor;
    char *users_file;    /* "User.csv", or NULL */
    char *pipeline;      /* deal pipeline id */
    json_t *stages;      /* source stage label -> stage id */
    char *timezone;      /* the source's zone for dates; "UTC" by default */
    int locale;          /* enum xf_locale for numbers without their own */
    char *default_owner; /* owner email or id for unmatched users */
    int owner_optional;  /* owners.unmatched "none": write no owner */
    int owner_unmatched_written; /* write owners.unmatched even when "error" */
    int create_missing_properties; /* create mapped properties before run */
    struct object_map objects[OBJ_COUNT];
    struct link_map *links;
    size_t nlinks;
};

const char *object_kind_name(enum object_kind k);     /* "contacts" */
const char *object_kind_singular(enum object_kind k); /* "contact" */
int object_kind_parse(const char *name, enum object_kind *out);
const char *xform_name(enum xform x);
const char *unknown_policy_name(enum unknown_policy p);
const char *link_kind_name(enum link_kind k);
enum object_kind link_from(enum link_kind k);
enum object_kind link_to(enum link_kind k);

/* Reads DIR/hsmigrate.yaml. Errors name the file and the key. */
int project_config_load(const char *dir, struct project_config *cfg,
                        struct err *e);
/* Writes cfg to cfg->path, owner-readable only. */
int project_config_save(const struct project_config *cfg, struct err *e);
void project_config_release(struct project_config *cfg);

/* Makes DIR (and DIR/reports) with mode 0700 when missing. */
int project_dir_prepare(const char *dir, struct err *e);
/* Checks that source.input is a readable directory (a config error
 * otherwise). */
int project_input_check(const struct project_config *cfg, struct err *e);

/* Takes the project's lock so that two commands never write the same
 * ledger and portal at once; *fd holds it until project_unlock. */
int project_lock(const struct project_config *cfg, int *fd, struct err *e);
void project_unlock(int fd);

/* Returns a newly allocated DIR/name. */
char *project_path(const struct project_config *cfg, const char *name);

#endif
