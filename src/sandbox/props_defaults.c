/* props_defaults.c: the properties and groups a new HubSpot portal has on
 * contacts, companies and deals, as far as a migration touches them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

enum {
    C = 1 << SB_OT_CONTACTS,
    CO = 1 << SB_OT_COMPANIES,
    D = 1 << SB_OT_DEALS,
};

enum {
    RO = 1,   /* readOnlyValue */
    CALC = 2, /* calculated */
    UQ = 4,   /* hasUniqueValue */
};

struct default_prop {
    unsigned types;
    const char *name, *label, *type, *field_type;
    unsigned flags;
    const char *options; /* "value=Label|value=Label" */
};

static const char lifecycle_opts[] =
    "subscriber=Subscriber|lead=Lead|marketingqualifiedlead=Marketing "
    "Qualified Lead|salesqualifiedlead=Sales Qualified "
    "Lead|opportunity=Opportunity|customer=Customer|evangelist=Evangelist|"
    "other=Other";

static const char lead_status_opts[] =
    "NEW=New|OPEN=Open|IN_PROGRESS=In Progress|OPEN_DEAL=Open "
    "Deal|UNQUALIFIED=Unqualified|ATTEMPTED_TO_CONTACT=Attempted to "
    "contact|CONNECTED=Connected|BAD_TIMING=Bad Timing";

static const char industry_opts[] =
    "ACCOUNTING=Accounting|AIRLINES_AVIATION=Airlines/Aviation|"
    "APPAREL_FASHION=Apparel & Fashion|AUTOMOTIVE=Automotive|"
    "BANKING=Banking|BIOTECHNOLOGY=Biotechnology|BROADCAST_MEDIA=Broadcast "
    "Media|CHEMICALS=Chemicals|COMPUTER_HARDWARE=Computer Hardware|"
    "COMPUTER_SOFTWARE=Computer Software|CONSTRUCTION=Construction|"
    "CONSUMER_GOODS=Consumer Goods|EDUCATION_MANAGEMENT=Education "
    "Management|ENTERTAINMENT=Entertainment|ENVIRONMENTAL_SERVICES="
    "Environmental Services|FINANCIAL_SERVICES=Financial Services|"
    "FOOD_BEVERAGES=Food & Beverages|GOVERNMENT_ADMINISTRATION=Government "
    "Administration|HOSPITAL_HEALTH_CARE=Hospital & Health Care|"
    "HOSPITALITY=Hospitality|INFORMATION_TECHNOLOGY_AND_SERVICES="
    "Information Technology and Services|INSURANCE=Insurance|"
    "MACHINERY=Machinery|MANAGEMENT_CONSULTING=Management Consulting|"
    "MEDIA_PRODUCTION=Media Production|MINING_METALS=Mining & Metals|"
    "NONPROFIT_ORGANIZATION_MANAGEMENT=Non-Profit Organization "
    "Management|OIL_ENERGY=Oil & Energy|RETAIL=Retail|"
    "TELECOMMUNICATIONS=Telecommunications|TRANSPORTATION_TRUCKING_"
    "RAILROAD=Transportation/Trucking/Railroad|UTILITIES=Utilities";

static const char company_type_opts[] =
    "PROSPECT=Prospect|PARTNER=Partner|RESELLER=Reseller|VENDOR=Vendor|"
    "OTHER=Other";

static const char deal_stage_opts[] =
    "appointmentscheduled=Appointment Scheduled|qualifiedtobuy=Qualified "
    "To Buy|presentationscheduled=Presentation Scheduled|"
    "decisionmakerboughtin=Decision Maker Bought-In|contractsent=Contract "
    "Sent|closedwon=Closed Won|closedlost=Closed Lost";

static const struct default_prop defaults[] = {
    {C, "email", "Email", "string", "text", 0, NULL},
    {C, "firstname", "First Name", "string", "text", 0, NULL},
    {C, "lastname", "Last Name", "string", "text", 0, NULL},
    {C, "salutation", "Salutation", "string", "text", 0, NULL},
    {C | CO, "phone", "Phone Number", "string", "phonenumber", 0, NULL},
    {C, "mobilephone", "Mobile Phone Number", "string", "phonenumber", 0, NULL},
    {C, "fax", "Fax Number", "string", "text", 0, NULL},
    {C, "company", "Company Name", "string", "text", 0, NULL},
    {C | CO, "website", "Website URL", "string", "text", 0, NULL},
    {C, "jobtitle", "Job Title", "string", "text", 0, NULL},
    {C | CO, "address", "Street Address", "string", "text", 0, NULL},
    {C | CO, "city", "City", "string", "text", 0, NULL},
    {C | CO, "state", "State/Region", "string", "text", 0, NULL},
    {C | CO, "zip", "Postal Code", "string", "text", 0, NULL},
    {C | CO, "country", "Country/Region", "string", "text", 0, NULL},
    {C, "industry", "Industry", "string", "text", 0, NULL},
    {C, "date_of_birth", "Date of birth", "string", "text", 0, NULL},
    {C | CO, "lifecyclestage", "Lifecycle Stage", "enumeration", "radio", 0,
     lifecycle_opts},
    {C, "hs_lead_status", "Lead Status", "enumeration", "radio", 0,
     lead_status_opts},
    {C | CO | D, "hubspot_owner_id", "Owner", "enumeration", "select", 0, ""},
    {C | CO | D, "description", "Description", "string", "textarea", 0, NULL},
    {C, "hs_additional_emails", "Additional email addresses", "enumeration",
     "checkbox", RO, NULL},
    {C | CO | D, "hs_merged_object_ids", "Merged record IDs", "enumeration",
     "checkbox", RO | CALC, NULL},
    {C | CO | D, "createdate", "Create Date", "datetime", "date", RO, NULL},
    {C, "lastmodifieddate", "Last Modified Date", "datetime", "date", RO, NULL},
    {C | CO | D, "hs_lastmodifieddate", "Last Modified Date", "datetime",
     "date", RO, NULL},
    {C | CO | D, "hs_object_id", "Record ID", "number", "number", RO | CALC,
     NULL},
    {CO, "name", "Company name", "string", "text", 0, NULL},
    {CO, "domain", "Company Domain Name", "string", "text", 0, NULL},
    {CO, "industry", "Industry", "enumeration", "select", 0, industry_opts},
    {CO, "numberofemployees", "Number of Employees", "number", "number", 0,
     NULL},
    {CO, "annualrevenue", "Annual Revenue", "number", "number", 0, NULL},
    {CO, "type", "Type", "enumeration", "select", 0, company_type_opts},
    {CO, "founded_year", "Year Founded", "string", "text", 0, NULL},
    {CO, "linkedin_company_page", "LinkedIn Company Page", "string", "text", 0,
     NULL},
    {D, "dealname", "Deal Name", "string", "text", 0, NULL},
    {D, "amount", "Amount", "number", "number", 0, NULL},
    {D, "closedate", "Close Date", "datetime", "date", 0, NULL},
    {D, "pipeline", "Pipeline", "enumeration", "select", 0,
     "default=Sales Pipeline"},
    {D, "dealstage", "Deal Stage", "enumeration", "radio", 0, deal_stage_opts},
    {D, "dealtype", "Deal Type", "enumeration", "radio", 0,
     "newbusiness=New Business|existingbusiness=Existing Business"},
    {D, "closed_lost_reason", "Closed Lost Reason", "string", "textarea", 0,
     NULL},
    {D, "closed_won_reason", "Closed Won Reason", "string", "textarea", 0,
     NULL},
    {D, "hs_priority", "Priority", "enumeration", "radio", 0,
     "low=Low|medium=Medium|high=High"},
};

static const char *const group_names[SB_OT_COUNT][2] = {
    {"contactinformation", "Contact information"},
    {"companyinformation", "Company information"},
    {"dealinformation", "Deal information"},
};

/* "a=A|b=B" as HubSpot's options array. */
static json_t *options_json(const char *spec)
{
    json_t *arr = json_array();
    int order = 0;

    while (spec && *spec) {
        size_t n = strcspn(spec, "|");
        const char *eq = memchr(spec, '=', n);
        if (eq)
            json_array_append_new(
                arr, json_pack("{s:s%, s:s%, s:i, s:b}", "label", eq + 1,
                               (size_t)(spec + n - eq - 1), "value", spec,
                               (size_t)(eq - spec), "displayOrder", order++,
                               "hidden", 0));
        spec += n + (spec[n] == '|');
    }
    return arr;
}

static int insert_default(sqlite3_stmt *st, int ot,
                          const struct default_prop *p, int order)
{
    json_t *opts = options_json(p->options);
    char *text = json_dumps(opts, JSON_COMPACT);
    int64_t now = sb_now_ms();
    int rc;

    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->field_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, group_names[ot][0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 8, order);
    sqlite3_bind_int(st, 9, (p->flags & UQ) != 0);
    sqlite3_bind_int(st, 10, (p->flags & CALC) != 0);
    sqlite3_bind_int(st, 11, (p->flags & RO) != 0);
    sqlite3_bind_int64(st, 12, now);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    free(text);
    json_decref(opts);
    return rc;
}

static int insert_groups(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    if (sb_stmt_prepare(db,
                        "INSERT OR IGNORE INTO property_groups(object_type,"
                        " name, label, display_order) VALUES(?,?,?,0)",
                        &st) != SQLITE_OK)
        return -1;
    for (int ot = 0; ot < SB_OT_COUNT && rc == 0; ot++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, group_names[ot][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, group_names[ot][1], -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

int sb_properties_seed_defaults(sqlite3 *db, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = insert_groups(db);

    if (rc == 0 &&
        sb_stmt_prepare(
            db,
            "INSERT OR REPLACE INTO properties(object_type, name, label, type,"
            " field_type, group_name, options, display_order,"
            " has_unique_value, calculated, read_only_value, hubspot_defined,"
            " read_only_definition, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,1,1,?12,?12)",
            &st) != SQLITE_OK)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < sizeof(defaults) / sizeof(defaults[0]);
         i++)
        for (int ot = 0; ot < SB_OT_COUNT && rc == 0; ot++)
            if (defaults[i].types & (1u << ot))
                rc = insert_default(st, ot, &defaults[i], (int)i);
    sb_stmt_release(st);
    if (rc < 0)
        return err_set(e, ERR_DB, "seeding default properties: %s",
                       sqlite3_errmsg(db));
    return 0;
}

/* Accepted on create although read-only: createdate (see docs). */
int sb_prop_create_only(const char *name)
{
    return !strcmp(name, "createdate");
}
