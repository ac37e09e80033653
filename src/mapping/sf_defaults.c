#include "mapping/sf_defaults.h"
#include "core/xalloc.h"
#include "mapping/transform.h"

#include <string.h>
#include <strings.h>

const char *const sf_objects[SF_NOBJECTS] = {
    "Account", "Contact", "Lead", "Opportunity", "OpportunityContactRole",
    "User"};

struct default_field {
    const char *object;
    const char *column;
    const char *property;
    enum xform xform;
};

static const struct default_field defaults[] = {
    {"Account", "Name", "name", XF_TEXT},
    {"Account", "Website", "domain", XF_DOMAIN},
    {"Account", "Phone", "phone", XF_TEXT},
    {"Account", "BillingStreet", "address", XF_TEXT},
    {"Account", "BillingCity", "city", XF_TEXT},
    {"Account", "BillingState", "state", XF_TEXT},
    {"Account", "BillingPostalCode", "zip", XF_TEXT},
    {"Account", "BillingCountry", "country", XF_TEXT},
    {"Account", "NumberOfEmployees", "numberofemployees", XF_NUMBER},
    {"Account", "AnnualRevenue", "annualrevenue", XF_NUMBER},
    {"Account", "Description", "description", XF_TEXT},
    {"Account", "OwnerId", "hubspot_owner_id", XF_OWNER},
    {"Contact", "FirstName", "firstname", XF_TEXT},
    {"Contact", "LastName", "lastname", XF_TEXT},
    {"Contact", "Email", "email", XF_EMAIL},
    {"Contact", "Phone", "phone", XF_TEXT},
    {"Contact", "MobilePhone", "mobilephone", XF_TEXT},
    {"Contact", "Title", "jobtitle", XF_TEXT},
    {"Contact", "MailingStreet", "address", XF_TEXT},
    {"Contact", "MailingCity", "city", XF_TEXT},
    {"Contact", "MailingState", "state", XF_TEXT},
    {"Contact", "MailingPostalCode", "zip", XF_TEXT},
    {"Contact", "MailingCountry", "country", XF_TEXT},
    {"Contact", "OwnerId", "hubspot_owner_id", XF_OWNER},
    {"Lead", "FirstName", "firstname", XF_TEXT},
    {"Lead", "LastName", "lastname", XF_TEXT},
    {"Lead", "Email", "email", XF_EMAIL},
    {"Lead", "Phone", "phone", XF_TEXT},
    {"Lead", "MobilePhone", "mobilephone", XF_TEXT},
    {"Lead", "Title", "jobtitle", XF_TEXT},
    {"Lead", "Company", "company", XF_TEXT},
    {"Lead", "Street", "address", XF_TEXT},
    {"Lead", "City", "city", XF_TEXT},
    {"Lead", "State", "state", XF_TEXT},
    {"Lead", "PostalCode", "zip", XF_TEXT},
    {"Lead", "Country", "country", XF_TEXT},
    {"Lead", "Website", "website", XF_TEXT},
    {"Lead", "OwnerId", "hubspot_owner_id", XF_OWNER},
    {"Opportunity", "Name", "dealname", XF_TEXT},
    {"Opportunity", "Amount", "amount", XF_NUMBER},
    {"Opportunity", "CloseDate", "closedate", XF_DATE},
    {"Opportunity", "StageName", "dealstage", XF_DEALSTAGE},
    {"Opportunity", "Description", "description", XF_TEXT},
    {"Opportunity", "OwnerId", "hubspot_owner_id", XF_OWNER},
};

struct default_link {
    enum link_kind kind;
    const char *object;
    const char *from;
    const char *to;
};

static const struct default_link default_links[] = {
    {LINK_CONTACT_COMPANY, "Contact", "Id", "AccountId"},
    {LINK_DEAL_COMPANY, "Opportunity", "Id", "AccountId"},
    {LINK_DEAL_CONTACT, "OpportunityContactRole", "OpportunityId", "ContactId"},
    {LINK_DEAL_CONTACT, "Opportunity", "Id", "ContactId"},
};

struct stage_default {
    const char *label;
    const char *stage;
};

/* Salesforce's standard opportunity stages, in their usual order. */
static const struct stage_default stage_defaults[] = {
    {"Prospecting", "appointmentscheduled"},
    {"Qualification", "qualifiedtobuy"},
    {"Needs Analysis", "qualifiedtobuy"},
    {"Value Proposition", "presentationscheduled"},
    {"Id. Decision Makers", "decisionmakerboughtin"},
    {"Perception Analysis", "decisionmakerboughtin"},
    {"Proposal/Price Quote", "presentationscheduled"},
    {"Negotiation/Review", "contractsent"},
    {"Closed Won", "closedwon"},
    {"Closed Lost", "closedlost"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int has_column(const struct export_file *f, const char *col)
{
    for (size_t i = 0; i < f->ncols; i++)
        if (!strcmp(f->cols[i], col))
            return 1;
    return 0;
}

static const struct export_file *
find_file(const struct export_file files[SF_NOBJECTS], const char *object)
{
    for (int i = 0; i < SF_NOBJECTS; i++)
        if (files[i].present && !strcmp(files[i].object, object))
            return &files[i];
    return NULL;
}

static void add_source(struct object_map *om, const struct export_file *f)
{
    struct object_source *s;
    size_t n = 0;

    om->sources =
        xrealloc(om->sources, (om->nsources + 1) * sizeof(*om->sources));
    s = &om->sources[om->nsources++];
    memset(s, 0, sizeof(*s));
    s->object = xstrdup(f->object);
    s->file = xasprintf("%s.csv", f->object);
    s->set = json_object();
    s->fields = xcalloc(NELEM(defaults), sizeof(*s->fields));
    for (size_t i = 0; i < NELEM(defaults); i++) {
        if (strcmp(defaults[i].object, f->object) ||
            !has_column(f, defaults[i].column))
            continue;
        s->fields[n].column = xstrdup(defaults[i].column);
        s->fields[n].property = xstrdup(defaults[i].property);
        s->fields[n].xform = defaults[i].xform;
        /* The export writes dates one way, YYYY-MM-DD[ HH:MM:SS]: a
         * column read that way needs no learning of its order. */
        s->fields[n].date_format =
            defaults[i].xform == XF_DATE ? (int)XF_DATE_ISO : -1;
        s->fields[n].locale = -1;
        n++;
    }
    s->nfields = n;
}

const char *sf_defaults_stage(const char *label, int *guessed)
{
    *guessed = 0;
    for (size_t i = 0; i < NELEM(stage_defaults); i++)
        if (!strcasecmp(label, stage_defaults[i].label))
            return stage_defaults[i].stage;
    *guessed = 1;
    if (strcasestr(label, "won"))
        return "closedwon";
    if (strcasestr(label, "lost"))
        return "closedlost";
    return "appointmentscheduled";
}

static void add_stages(struct project_config *cfg,
                       const struct export_file *opp)
{
    const char *label;
    json_t *count;
    int guessed;

    if (!opp || !opp->distinct_stages)
        return;
    json_object_foreach(opp->distinct_stages, label, count) json_object_set_new(
        cfg->stages, label, json_string(sf_defaults_stage(label, &guessed)));
}

static void add_links(struct project_config *cfg,
                      const struct export_file files[SF_NOBJECTS])
{
    cfg->links = xcalloc(NELEM(default_links), sizeof(*cfg->links));
    for (size_t i = 0; i < NELEM(default_links); i++) {
        const struct default_link *d = &default_links[i];
        const struct export_file *f = find_file(files, d->object);
        struct link_map *l;

        if (!f || !has_column(f, d->from) || !has_column(f, d->to))
            continue;
        l = &cfg->links[cfg->nlinks++];
        l->kind = d->kind;
        l->object = xstrdup(d->object);
        l->file = xasprintf("%s.csv", d->object);
        l->from_column = xstrdup(d->from);
        l->to_column = xstrdup(d->to);
    }
}

void sf_defaults_apply(struct project_config *cfg,
                       const struct export_file files[SF_NOBJECTS],
                       int skip_converted_leads)
{
    const struct export_file *f;

    if (!cfg->stages)
        cfg->stages = json_object();
    if ((f = find_file(files, "Account")))
        add_source(&cfg->objects[OBJ_COMPANIES], f);
    if ((f = find_file(files, "Contact")))
        add_source(&cfg->objects[OBJ_CONTACTS], f);
    if ((f = find_file(files, "Lead"))) {
        struct object_map *om = &cfg->objects[OBJ_CONTACTS];

        add_source(om, f);
        json_object_set_new(om->sources[om->nsources - 1].set, "lifecyclestage",
                            json_string("lead"));
        om->sources[om->nsources - 1].skip_converted = skip_converted_leads;
    }
    if ((f = find_file(files, "Opportunity"))) {
        add_source(&cfg->objects[OBJ_DEALS], f);
        add_stages(cfg, f);
    }
    if ((f = find_file(files, "User")) && has_column(f, "Email")) {
        cfg->users_file = xstrdup("User.csv");
        /* A user with no HubSpot owner is an error until the config
         * names a default owner or says "none"; init writes the key so
         * the choice is visible in the file. */
        cfg->owner_unmatched_written = 1;
    }
    add_links(cfg, files);
}

static int link_uses(const struct project_config *cfg, const char *object,
                     const char *column)
{
    for (size_t i = 0; i < cfg->nlinks; i++)
        if (!strcmp(cfg->links[i].object, object) &&
            (!strcmp(cfg->links[i].from_column, column) ||
             !strcmp(cfg->links[i].to_column, column)))
            return 1;
    return 0;
}

int sf_defaults_column_used(const struct project_config *cfg,
                            const char *object, const char *column)
{
    if (!strcmp(column, "Id") || !strcmp(column, "IsDeleted") ||
        link_uses(cfg, object, column))
        return 1;
    if (!strcmp(object, "Lead") && !strcmp(column, "IsConverted"))
        return 1;
    if (!strcmp(object, "User") &&
        (!strcmp(column, "Email") || !strcmp(column, "IsActive")))
        return 1;
    for (int k = 0; k < OBJ_COUNT; k++)
        for (size_t i = 0; i < cfg->objects[k].nsources; i++) {
            const struct object_source *s = &cfg->objects[k].sources[i];

            if (strcmp(s->object, object))
                continue;
            for (size_t j = 0; j < s->nfields; j++)
                if (!strcmp(s->fields[j].column, column))
                    return 1;
        }
    return 0;
}
