/* sfgen.c: writes a synthetic Salesforce export.
 *
 * Every value of row i of an object is a pure function of (seed, object,
 * i, field), so any row can refer to any other without the generator
 * keeping a table: the e-mail a lead duplicates, the contacts of an
 * opportunity's account, an owner. That is what keeps a million-row
 * export in constant memory. */
#include "source/sfgen.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "csv/writer.h"
#include "source/salesforce.h"
#include "source/sfgen_data.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ROW_MAX 64
#define EPOCH_2019 1546300800L
#define DAY 86400L

enum obj { O_USER, O_ACCOUNT, O_CONTACT, O_LEAD, O_OPP, O_OCR, O_RTYPE };

/* Salts: which random decision of a row a draw is for. */
enum salt {
    S_FIRST = 1,
    S_LAST,
    S_DUP,
    S_EMAIL,
    S_ACCOUNT,
    S_OWNER,
    S_DELETED,
    S_DESC,
    S_IDFORM,
    S_CITY,
    S_PHONE,
    S_TITLE,
    S_CREATED,
    S_MODIFIED,
    S_PARENT,
    S_INDUSTRY,
    S_TYPE,
    S_MONEY,
    S_STAGE,
    S_CLOSE,
    S_ROLES,
    S_SOURCE,
    S_STATUS,
    S_CONVERT,
    S_OPPCONTACT,
    S_STREET,
    S_SIZE,
};

struct gen {
    const struct sfgen_opts *o;
    struct sfgen_result *res;
};

/* A row under construction: values (which may hold NUL bytes) stored
 * back to back, addressed by offset until the row is written. */
struct row {
    struct buf store;
    size_t off[ROW_MAX];
    size_t len[ROW_MAX];
    const char *ptr[ROW_MAX];
    size_t n;
    struct buf tmp; /* scratch for values built in steps */
};

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t rnd(const struct gen *g, enum obj obj, long i, enum salt s)
{
    uint64_t x = mix64(g->o->seed ^ ((uint64_t)obj << 56));

    x = mix64(x ^ (uint64_t)i);
    return mix64(x ^ ((uint64_t)s << 40));
}

static void row_reset(struct row *w)
{
    buf_reset(&w->store);
    w->n = 0;
}

static void row_addn(struct row *w, const char *s, size_t n)
{
    if (w->n == ROW_MAX)
        abort(); /* a header longer than ROW_MAX is a bug in this file */
    w->off[w->n] = w->store.len;
    w->len[w->n] = n;
    buf_add(&w->store, s, n);
    w->n++;
}

static void row_add(struct row *w, const char *s)
{
    row_addn(w, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void row_addf(struct row *w,
                                                           const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    row_addn(w, tmp,
             n < 0                      ? 0
             : (size_t)n >= sizeof(tmp) ? sizeof(tmp) - 1
                                        : (size_t)n);
}

static int row_write(struct row *w, size_t ncols, struct csv_writer *cw,
                     struct err *e)
{
    if (w->n != ncols)
        return err_set(e, ERR_GENERIC,
                       "generator bug: %zu values for %zu columns", w->n,
                       ncols);
    for (size_t i = 0; i < w->n; i++)
        w->ptr[i] = w->store.data + w->off[i];
    return csv_writer_row_n(cw, w->n, w->ptr, w->len, e);
}

/* The 15-character id of row idx: key prefix, a fixed pod "5g", and the
 * row number scrambled into 7 base-62 digits. Multiplying by a number
 * prime to 62 is a bijection modulo 62^7, so ids stay unique, and they
 * mix cases the way real ones do (some differ only in case). */
static void id15(const char *prefix, long idx, char out[16])
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "abcdefghijklmnopqrstuvwxyz";
    const uint64_t space = 3521614606208ULL; /* 62^7 */
    uint64_t v = ((uint64_t)idx + 1) * 2654435761ULL % space;

    memcpy(out, prefix, 3);
    memcpy(out + 3, "5g000", 5);
    for (int i = 14; i >= 8; i--) {
        out[i] = b62[v % 62];
        v /= 62;
    }
    out[15] = '\0';
}

static void id15_add(struct row *w, const char *prefix, long idx)
{
    char s15[16];

    id15(prefix, idx, s15);
    row_add(w, s15);
}

static void row_add_id(struct row *w, const char *prefix, long idx)
{
    char s15[16], s18[19];

    id15(prefix, idx, s15);
    sf_id_canonical(s15, s18);
    row_add(w, s18);
}

/* A lookup value: mostly 18 characters, one in six in the 15-character
 * form reports and some export columns use. */
static void row_add_ref(struct row *w, const struct gen *g, enum obj from,
                        long i, const char *prefix, long idx)
{
    char s15[16];

    if (rnd(g, from, i, S_IDFORM) % 6 == 0) {
        id15(prefix, idx, s15);
        row_add(w, s15);
    } else {
        row_add_id(w, prefix, idx);
    }
}

/* Empty lookups come both ways in real exports. */
static void row_add_nullref(struct row *w, uint64_t r)
{
    row_add(w, r % 2 ? "000000000000000AAA" : "");
}

static void row_add_time(struct row *w, long t, int date_only)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[32];

    gmtime_r(&tt, &tm);
    strftime(s, sizeof(s), date_only ? "%Y-%m-%d 00:00:00" : "%F %T", &tm);
    row_add(w, s);
}

static long created_at(const struct gen *g, enum obj obj, long i)
{
    return EPOCH_2019 + (long)(rnd(g, obj, i, S_CREATED) % (4 * 365 * DAY));
}

/* CreatedDate, CreatedById, LastModifiedDate, LastModifiedById,
 * SystemModstamp. */
static void row_add_audit(struct row *w, const struct gen *g, enum obj obj,
                          long i)
{
    long c = created_at(g, obj, i);
    long m = c + (long)(rnd(g, obj, i, S_MODIFIED) % (300 * DAY));
    long u = (long)(rnd(g, obj, i, S_OWNER) % (uint64_t)g->o->users);

    row_add_time(w, c, 0);
    row_add_id(w, "005", u);
    row_add_time(w, m, 0);
    row_add_id(w, "005", u);
    row_add_time(w, m, 0);
}

static long owner_of(const struct gen *g, enum obj obj, long i)
{
    return (long)(rnd(g, obj, i, S_OWNER) % (uint64_t)g->o->users);
}

static void row_add_phone(struct row *w, uint64_t r)
{
    switch (r % 4) {
    case 0:
        row_addf(w, "(415) 555-%04u", (unsigned)(r >> 8) % 10000);
        break;
    case 1:
        row_addf(w, "+49 89 %07u", (unsigned)(r >> 8) % 10000000);
        break;
    case 2:
        row_addf(w, "+33 1 42 %02u %02u %02u", (unsigned)(r >> 8) % 100,
                 (unsigned)(r >> 16) % 100, (unsigned)(r >> 24) % 100);
        break;
    default:
        row_add(w, "");
    }
}

/* Descriptions: plain, rich text (which Salesforce starts with a NUL
 * byte), several lines, or empty. */
static void row_add_description(struct row *w, uint64_t r, const char *who)
{
    char tmp[256];
    int n;

    switch (r % 20) {
    case 0:
        n = snprintf(tmp, sizeof(tmp),
                     "%c<p>Notes on <b>%s</b>: renewal &amp; upsell.</p>", '\0',
                     who);
        row_addn(w, tmp, (size_t)n);
        break;
    case 1:
    case 2:
        row_addf(w,
                 "Met %s at the trade fair.\nAsked for a \"quick\" "
                 "demo, then pricing.\n",
                 who);
        break;
    case 3:
        row_addf(w, "Key contact for %s, prefers e-mail.", who);
        break;
    default:
        row_add(w, "");
    }
}

static const struct sfgen_city *city_of(const struct gen *g, enum obj obj,
                                        long i)
{
    return &sfgen_cities[rnd(g, obj, i, S_CITY) % sfgen_ncities];
}

/* Street, City, State, PostalCode, Country. */
static void row_add_address(struct row *w, const struct gen *g, enum obj obj,
                            long i)
{
    const struct sfgen_city *c = city_of(g, obj, i);
    uint64_t r = rnd(g, obj, i, S_STREET);
    const char *street = sfgen_streets[r % sfgen_nstreets];

    if (r % 9 == 0)
        row_addf(w, "Suite %u\n%u %s", (unsigned)(r >> 8) % 900 + 100,
                 (unsigned)(r >> 20) % 200 + 1, street);
    else
        row_addf(w, "%u %s", (unsigned)(r >> 20) % 200 + 1, street);
    row_add(w, c->city);
    row_add(w, c->state);
    row_add(w, c->postal);
    row_add(w, c->country);
}

static const struct sfgen_name *first_name(const struct gen *g, enum obj o,
                                           long i)
{
    return &sfgen_first_names[rnd(g, o, i, S_FIRST) % sfgen_nfirst_names];
}

static const struct sfgen_name *last_name(const struct gen *g, enum obj o,
                                          long i)
{
    return &sfgen_last_names[rnd(g, o, i, S_LAST) % sfgen_nlast_names];
}

static const char *pick(const char *const *list, size_t n, uint64_t r)
{
    return list[r % n];
}

/* ---- Users ---------------------------------------------------------- */

static const char *const user_cols[] = {
    "Id",          "Username",   "FirstName",   "LastName",
    "CompanyName", "Department", "Title",       "Email",
    "Phone",       "Alias",      "IsActive",    "TimeZoneSidKey",
    "UserType",    "ManagerId",  "CreatedDate", "LastLoginDate",
};
#define NUSER_COLS (sizeof(user_cols) / sizeof(user_cols[0]))

/* About a third of users have left: their records still name them. */
static int user_active(long u)
{
    return u == 0 || u % 3 != 2;
}

static void user_row(const struct gen *g, struct row *w, long u)
{
    const struct sfgen_name *f = first_name(g, O_USER, u);
    const struct sfgen_name *l = last_name(g, O_USER, u);
    uint64_t r = rnd(g, O_USER, u, S_TITLE);
    long created = created_at(g, O_USER, u);

    row_add_id(w, "005", u);
    row_addf(w, "%s.%s%ld@northwind-sales.example.prod", f->ascii, l->ascii, u);
    row_add(w, f->text);
    row_add(w, l->text);
    row_add(w, "Northwind Sales");
    row_add(w, pick(sfgen_departments, sfgen_ndepartments, r));
    row_add(w, u == 0 ? "Sales Director" : "Account Executive");
    row_addf(w, "%s.%s%ld@northwind-sales.example", f->ascii, l->ascii, u);
    row_add_phone(w, rnd(g, O_USER, u, S_PHONE));
    row_addf(w, "%.4s%ld", f->ascii, u);
    row_add(w, user_active(u) ? "1" : "0");
    row_add(w, r % 2 ? "Europe/Berlin" : "America/Los_Angeles");
    row_add(w, "Standard");
    if (u == 0)
        row_add(w, "000000000000000AAA");
    else
        row_add_id(w, "005", 0);
    row_add_time(w, created, 0);
    row_add_time(w, created + (user_active(u) ? 900 : 30) * DAY, 0);
}

/* ---- Accounts ------------------------------------------------------- */

static const char *const account_cols[] = {
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "Name",
    "Type",
    "RecordTypeId",
    "ParentId",
    "BillingStreet",
    "BillingCity",
    "BillingState",
    "BillingPostalCode",
    "BillingCountry",
    "Phone",
    "Fax",
    "Website",
    "Industry",
    "AnnualRevenue",
    "NumberOfEmployees",
    "Description",
    "AccountSource",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
};
#define NACCOUNT_COLS (sizeof(account_cols) / sizeof(account_cols[0]))

static const struct sfgen_name *company_of(const struct gen *g, long a)
{
    return &sfgen_companies[rnd(g, O_ACCOUNT, a, S_FIRST) % sfgen_ncompanies];
}

static int account_deleted(long a)
{
    return a % 50 == 23;
}

/* Account a's web domain, unique per account. */
static void account_domain(const struct gen *g, long a, char *out, size_t n)
{
    snprintf(out, n, "%s%ld.example", company_of(g, a)->ascii, a);
}

static void account_name(const struct gen *g, long a, struct buf *out)
{
    uint64_t r = rnd(g, O_ACCOUNT, a, S_LAST);

    buf_addf(out, "%s %s", company_of(g, a)->text,
             pick(sfgen_company_suffixes, sfgen_ncompany_suffixes, r));
}

static void account_money(struct row *w, uint64_t r)
{
    if (r % 4 == 0)
        row_add(w, "");
    else if (r % 4 == 1)
        row_addf(w, "%u.225", (unsigned)(r >> 8) % 90000 + 1000);
    else
        row_addf(w, "%u", ((unsigned)(r >> 8) % 500 + 1) * 100000);
    if (r % 5 == 0)
        row_add(w, "");
    else
        row_addf(w, "%u", (unsigned)(r >> 24) % 5000 + 1);
}

static void account_row(const struct gen *g, struct row *w, long a)
{
    struct buf *tmp = &w->tmp; /* the name, read twice below */
    uint64_t r = rnd(g, O_ACCOUNT, a, S_PARENT);
    char domain[128];

    buf_reset(tmp);
    account_name(g, a, tmp);
    account_domain(g, a, domain, sizeof(domain));
    row_add_id(w, "001", a);
    row_add(w, account_deleted(a) ? "1" : "0");
    row_add(w, "");
    row_add(w, tmp->data);
    row_add(w, pick(sfgen_account_types, sfgen_naccount_types,
                    rnd(g, O_ACCOUNT, a, S_TYPE)));
    id15_add(w, "012", (long)(r % 2));
    if (a > 0 && r % 12 == 0)
        row_add_ref(w, g, O_ACCOUNT, a, "001", (long)((r >> 8) % a));
    else
        row_add_nullref(w, r >> 4);
    row_add_address(w, g, O_ACCOUNT, a);
    row_add_phone(w, rnd(g, O_ACCOUNT, a, S_PHONE));
    row_add_phone(w, rnd(g, O_ACCOUNT, a, S_PHONE) >> 3);
    row_addf(w, r % 10 == 0 ? "" : r % 3 ? "https://www.%s" : "www.%s", domain);
    row_add(w, pick(sfgen_industries, sfgen_nindustries,
                    rnd(g, O_ACCOUNT, a, S_INDUSTRY)));
    account_money(w, rnd(g, O_ACCOUNT, a, S_MONEY));
    row_add_description(w, rnd(g, O_ACCOUNT, a, S_DESC), tmp->data);
    row_add(w, pick(sfgen_lead_sources, sfgen_nlead_sources,
                    rnd(g, O_ACCOUNT, a, S_SOURCE)));
    row_add_ref(w, g, O_ACCOUNT, a, "005", owner_of(g, O_ACCOUNT, a));
    row_add_audit(w, g, O_ACCOUNT, a);
}

/* ---- Contacts ------------------------------------------------------- */

static const char *const contact_cols[] = {
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "AccountId",
    "Salutation",
    "FirstName",
    "LastName",
    "MailingStreet",
    "MailingCity",
    "MailingState",
    "MailingPostalCode",
    "MailingCountry",
    "Phone",
    "MobilePhone",
    "ReportsToId",
    "Email",
    "Title",
    "Department",
    "LeadSource",
    "Birthdate",
    "Description",
    "OwnerId",
    "HasOptedOutOfEmail",
    "DoNotCall",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
};
#define NCONTACT_COLS (sizeof(contact_cols) / sizeof(contact_cols[0]))

/* Quirk rates are index patterns, so even a small sample has each. */
static int contact_deleted(long j)
{
    return j % 40 == 17;
}

static int contact_has_email(long j)
{
    return j % 13 != 4;
}

static int contact_is_dup(long j)
{
    return j % 25 == 13;
}

static long contact_account(const struct gen *g, long j)
{
    if (g->o->accounts == 0 || j % 11 == 6)
        return -1;
    return j % g->o->accounts;
}

/* A live contact with an e-mail of its own, at or below j. */
static long contact_original_near(long j)
{
    for (int tries = 0; j >= 0 && tries < 64; j--, tries++)
        if (!contact_deleted(j) && contact_has_email(j) && !contact_is_dup(j))
            return j;
    return -1;
}

static void contact_base_email(const struct gen *g, long j, struct buf *out)
{
    long a = contact_account(g, j);
    char domain[128] = "mail.example";

    if (a >= 0)
        account_domain(g, a, domain, sizeof(domain));
    buf_addf(out, "%s.%s%ld@%s", first_name(g, O_CONTACT, j)->ascii,
             last_name(g, O_CONTACT, j)->ascii, j, domain);
}

/* The same address as people retype it: other case, stray spaces. */
static void email_variant(const char *email, uint64_t r, struct buf *out)
{
    size_t start = out->len;

    if (r % 3 == 1)
        buf_adds(out, " ");
    buf_adds(out, email);
    if (r % 3 == 1) {
        buf_adds(out, "  ");
        return;
    }
    for (size_t i = start; i < out->len; i++) {
        char *c = &out->data[i];
        int word_start =
            i == start || out->data[i - 1] == '@' || out->data[i - 1] == '.';

        if (*c >= 'a' && *c <= 'z' && (r % 3 == 0 || word_start))
            *c = (char)(*c - 'a' + 'A');
    }
}

static void contact_email(const struct gen *g, long j, struct buf *out)
{
    uint64_t r = rnd(g, O_CONTACT, j, S_DUP);
    long k = -1;
    struct buf base = {0};

    if (!contact_has_email(j))
        return;
    if (contact_is_dup(j) && j > 0)
        k = contact_original_near(j - 1 -
                                  (long)(r % (uint64_t)(j < 20 ? j : 20)));
    if (k < 0) {
        contact_base_email(g, j, out);
        return;
    }
    contact_base_email(g, k, &base);
    email_variant(base.data, r >> 8, out);
    buf_release(&base);
}

static void contact_row_tail(const struct gen *g, struct row *w, long j,
                             uint64_t r, const char *who)
{
    long birth = -600000000L + (long)((r >> 12) % (40 * 365)) * DAY;

    row_add(w,
            pick(sfgen_titles, sfgen_ntitles, rnd(g, O_CONTACT, j, S_TITLE)));
    row_add(w, pick(sfgen_departments, sfgen_ndepartments, r >> 9));
    row_add(w, pick(sfgen_lead_sources, sfgen_nlead_sources,
                    rnd(g, O_CONTACT, j, S_SOURCE)));
    if (r % 3 == 0)
        row_add(w, "");
    else
        row_add_time(w, birth, 1);
    row_add_description(w, rnd(g, O_CONTACT, j, S_DESC), who);
    row_add_ref(w, g, O_CONTACT, j, "005", owner_of(g, O_CONTACT, j));
    row_add(w, r % 17 == 0 ? "1" : "0");
    row_add(w, r % 23 == 0 ? "1" : "0");
    row_add_audit(w, g, O_CONTACT, j);
}

static void contact_row(const struct gen *g, struct row *w, long j)
{
    long a = contact_account(g, j);
    uint64_t r = rnd(g, O_CONTACT, j, S_PARENT);
    const struct sfgen_name *f = first_name(g, O_CONTACT, j);

    row_add_id(w, "003", j);
    row_add(w, contact_deleted(j) ? "1" : "0");
    row_add(w, "");
    if (a >= 0)
        row_add_ref(w, g, O_CONTACT, j, "001", a);
    else
        row_add_nullref(w, r);
    row_add(w, pick(sfgen_salutations, sfgen_nsalutations, r >> 3));
    row_add(w, f->text);
    row_add(w, last_name(g, O_CONTACT, j)->text);
    row_add_address(w, g, O_CONTACT, j);
    row_add_phone(w, rnd(g, O_CONTACT, j, S_PHONE));
    row_add_phone(w, rnd(g, O_CONTACT, j, S_PHONE) >> 5);
    if (a >= 0 && j >= g->o->accounts && r % 8 == 0)
        row_add_ref(w, g, O_CONTACT, j, "003", j - g->o->accounts);
    else
        row_add_nullref(w, r >> 7);
    buf_reset(&w->tmp);
    contact_email(g, j, &w->tmp);
    row_add(w, buf_str(&w->tmp));
    contact_row_tail(g, w, j, r, f->text);
}

/* ---- Leads ---------------------------------------------------------- */

static const char *const lead_cols[] = {
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "Salutation",
    "FirstName",
    "LastName",
    "Title",
    "Company",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Phone",
    "MobilePhone",
    "Email",
    "Website",
    "Description",
    "LeadSource",
    "Status",
    "Industry",
    "Rating",
    "AnnualRevenue",
    "NumberOfEmployees",
    "OwnerId",
    "HasOptedOutOfEmail",
    "IsConverted",
    "ConvertedDate",
    "ConvertedAccountId",
    "ConvertedContactId",
    "ConvertedOpportunityId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
};
#define NLEAD_COLS (sizeof(lead_cols) / sizeof(lead_cols[0]))

enum lead_kind {
    LEAD_PLAIN,
    LEAD_NO_EMAIL,
    LEAD_DUP_CONTACT, /* shares an e-mail with a contact */
    LEAD_DUP_LEAD,    /* shares an e-mail with an earlier lead */
    LEAD_CONVERTED,
};

static enum lead_kind lead_kind_of(const struct gen *g, long i)
{
    if (i % 10 == 7 && g->o->contacts > 0)
        return LEAD_CONVERTED;
    if (i % 15 == 2)
        return LEAD_NO_EMAIL;
    if (i % 12 == 5 && g->o->contacts > 0)
        return LEAD_DUP_CONTACT;
    if (i % 12 == 9 && i > 0)
        return LEAD_DUP_LEAD;
    return LEAD_PLAIN;
}

static int lead_deleted(long i)
{
    return i % 45 == 31;
}

/* The contact a converted lead became, or whose e-mail it shares. */
static long lead_contact(const struct gen *g, long i)
{
    uint64_t r = rnd(g, O_LEAD, i, S_CONVERT);

    return contact_original_near((long)(r % (uint64_t)g->o->contacts));
}

static void lead_base_email(const struct gen *g, long i, struct buf *out)
{
    buf_addf(out, "%s.%s.l%ld@%s%ld-leads.example",
             first_name(g, O_LEAD, i)->ascii, last_name(g, O_LEAD, i)->ascii, i,
             company_of(g, i)->ascii, i);
}

static void lead_email(const struct gen *g, long i, enum lead_kind kind, long k,
                       struct buf *out)
{
    uint64_t r = rnd(g, O_LEAD, i, S_DUP);
    struct buf base = {0};
    long near = i > 0 ? i - 1 - (long)(r % (uint64_t)(i < 10 ? i : 10)) : -1;

    if (kind == LEAD_NO_EMAIL)
        return;
    if (kind == LEAD_CONVERTED && k >= 0) {
        contact_email(g, k, out);
        return;
    }
    if (kind == LEAD_DUP_CONTACT && k >= 0)
        contact_base_email(g, k, &base);
    else if (kind == LEAD_DUP_LEAD && near >= 0 &&
             lead_kind_of(g, near) == LEAD_PLAIN && !lead_deleted(near))
        lead_base_email(g, near, &base);
    if (base.len)
        email_variant(base.data, r >> 8, out);
    else
        lead_base_email(g, i, out);
    buf_release(&base);
}

/* IsConverted, ConvertedDate and the three Converted...Id columns. */
static void lead_conversion(const struct gen *g, struct row *w, long i, long k)
{
    uint64_t r = rnd(g, O_LEAD, i, S_CONVERT);
    long a = k >= 0 ? contact_account(g, k) : -1;

    if (k < 0) {
        row_add(w, "0");
        row_add(w, "");
        row_add_nullref(w, r);
        row_add(w, "");
        row_add(w, "");
        return;
    }
    row_add(w, "1");
    row_add_time(w, created_at(g, O_LEAD, i) + 20 * DAY, 1);
    if (a >= 0)
        row_add_ref(w, g, O_LEAD, i, "001", a);
    else
        row_add(w, "");
    row_add_ref(w, g, O_LEAD, i, "003", k);
    if (g->o->opportunities > 0 && r % 2)
        row_add_ref(w, g, O_LEAD, i, "006",
                    (long)((r >> 8) % (uint64_t)g->o->opportunities));
    else
        row_add(w, "");
}

static void lead_person(const struct gen *g, struct row *w, long i, long k)
{
    enum obj o = k >= 0 ? O_CONTACT : O_LEAD;
    long idx = k >= 0 ? k : i;
    long a = k >= 0 ? contact_account(g, k) : -1;
    uint64_t r = rnd(g, O_LEAD, i, S_TITLE);

    row_add(w, pick(sfgen_salutations, sfgen_nsalutations, r));
    row_add(w, first_name(g, o, idx)->text);
    row_add(w, last_name(g, o, idx)->text);
    row_add(w, pick(sfgen_titles, sfgen_ntitles, r >> 8));
    buf_reset(&w->tmp);
    if (a >= 0)
        account_name(g, a, &w->tmp);
    else
        buf_addf(
            &w->tmp, "%s %s", company_of(g, i)->text,
            pick(sfgen_company_suffixes, sfgen_ncompany_suffixes, r >> 16));
    row_add(w, w->tmp.data);
}

static void lead_row(const struct gen *g, struct row *w, long i)
{
    enum lead_kind kind = lead_kind_of(g, i);
    long k = kind == LEAD_CONVERTED || kind == LEAD_DUP_CONTACT
                 ? lead_contact(g, i)
                 : -1;
    uint64_t r = rnd(g, O_LEAD, i, S_STATUS);

    row_add_id(w, "00Q", i);
    row_add(w, lead_deleted(i) ? "1" : "0");
    row_add(w, "");
    lead_person(g, w, i, kind == LEAD_CONVERTED ? k : -1);
    row_add_address(w, g, O_LEAD, i);
    row_add_phone(w, rnd(g, O_LEAD, i, S_PHONE));
    row_add_phone(w, rnd(g, O_LEAD, i, S_PHONE) >> 5);
    buf_reset(&w->tmp);
    lead_email(g, i, kind, k, &w->tmp);
    row_add(w, buf_str(&w->tmp));
    row_addf(w, r % 4 ? "" : "www.%s%ld-leads.example", company_of(g, i)->ascii,
             i);
    row_add_description(w, rnd(g, O_LEAD, i, S_DESC), "the lead");
    row_add(w, pick(sfgen_lead_sources, sfgen_nlead_sources, r >> 4));
    row_add(w, kind == LEAD_CONVERTED && k >= 0
                   ? "Closed - Converted"
                   : pick(sfgen_lead_statuses, sfgen_nlead_statuses, r >> 8));
    row_add(w, pick(sfgen_industries, sfgen_nindustries, r >> 12));
    row_add(w, pick(sfgen_ratings, sfgen_nratings, r >> 16));
    account_money(w, rnd(g, O_LEAD, i, S_MONEY));
    row_add_ref(w, g, O_LEAD, i, "005", owner_of(g, O_LEAD, i));
    row_add(w, r % 19 == 0 ? "1" : "0");
    lead_conversion(g, w, i, kind == LEAD_CONVERTED ? k : -1);
    row_add_audit(w, g, O_LEAD, i);
}

/* ---- Opportunities and their contact roles --------------------------- */

static const char *const opp_cols[] = {
    "Id",
    "IsDeleted",
    "AccountId",
    "IsPrivate",
    "Name",
    "Description",
    "StageName",
    "Amount",
    "Probability",
    "CloseDate",
    "Type",
    "NextStep",
    "LeadSource",
    "IsClosed",
    "IsWon",
    "ForecastCategory",
    "ForecastCategoryName",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "FiscalYear",
    "FiscalQuarter",
    "ContactId",
};
#define NOPP_COLS (sizeof(opp_cols) / sizeof(opp_cols[0]))

static const char *const ocr_cols[] = {
    "Id",
    "OpportunityId",
    "ContactId",
    "Role",
    "IsPrimary",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "IsDeleted",
};
#define NOCR_COLS (sizeof(ocr_cols) / sizeof(ocr_cols[0]))

struct opp {
    long index;
    long account; /* -1: none */
    long roles[2];
    int nroles;
};

static int opp_deleted(long o)
{
    return o % 50 == 41;
}

/* A live contact of account a: contacts are spread over accounts by
 * index, so account a's are a, a + A, a + 2A, ... */
static long account_contact(const struct gen *g, long a, uint64_t r, long skip)
{
    long na = g->o->accounts;
    long k_count = a < g->o->contacts ? (g->o->contacts - 1 - a) / na + 1 : 0;

    for (long t = 0; t < k_count && t < 8; t++) {
        long j = a + (long)((r + (uint64_t)t) % (uint64_t)k_count) * na;

        if (j != skip && !contact_deleted(j) && contact_account(g, j) == a)
            return j;
    }
    return -1;
}

static void opp_plan(const struct gen *g, long o, struct opp *p)
{
    uint64_t r = rnd(g, O_OPP, o, S_ROLES);

    p->index = o;
    p->nroles = 0;
    p->account = -1;
    if (g->o->accounts > 0 && o % 30 != 12)
        p->account =
            (long)(rnd(g, O_OPP, o, S_ACCOUNT) % (uint64_t)g->o->accounts);
    if (p->account < 0 || opp_deleted(o) || r % 10 < 3)
        return;
    p->roles[0] = account_contact(g, p->account, r >> 8, -1);
    if (p->roles[0] < 0)
        return;
    p->nroles = 1;
    if (r % 10 >= 8) {
        p->roles[1] = account_contact(g, p->account, r >> 24, p->roles[0]);
        p->nroles += p->roles[1] >= 0;
    }
}

static void opp_name(const struct gen *g, const struct opp *p, uint64_t r,
                     struct buf *out)
{
    buf_reset(out);
    if (p->account >= 0)
        account_name(g, p->account, out);
    else
        buf_adds(out, "Unassigned");
    switch (r % 3) {
    case 0:
        buf_addf(out, " - %u Licenses", (unsigned)(r >> 8) % 500 + 5);
        break;
    case 1:
        buf_addf(out, " - Renewal %u", 2019 + (unsigned)(r >> 8) % 6);
        break;
    default:
        buf_adds(out, " - Pilot");
    }
}

/* StageName through ForecastCategoryName, in header order. */
static void opp_stage(const struct gen *g, struct row *w, long o, long close)
{
    uint64_t r = rnd(g, O_OPP, o, S_STAGE);
    const struct sfgen_stage *st = &sfgen_stages[r % sfgen_nstages];
    uint64_t m = rnd(g, O_OPP, o, S_MONEY);

    row_add(w, st->name);
    if (m % 8 == 0)
        row_add(w, "");
    else if (m % 8 == 1)
        row_addf(w, "%u.5", (unsigned)(m >> 8) % 100000);
    else
        row_addf(w, "%u", ((unsigned)(m >> 8) % 2000 + 1) * 250);
    row_addf(w, "%d", st->probability);
    row_add_time(w, close, 1);
    row_add(w, pick(sfgen_opp_types, sfgen_nopp_types, r >> 8));
    row_add(w, r % 5 == 0 ? "Send proposal, then call \"Bob\"" : "");
    row_add(w, pick(sfgen_lead_sources, sfgen_nlead_sources, r >> 16));
    row_add(w, st->closed ? "1" : "0");
    row_add(w, st->won ? "1" : "0");
    row_add(w, st->forecast);
    row_add(w, st->forecast_name);
}

static void opp_row(const struct gen *g, struct row *w, const struct opp *p)
{
    long o = p->index;
    uint64_t r = rnd(g, O_OPP, o, S_CLOSE);
    long close = created_at(g, O_OPP, o) + (long)(r % 200 + 10) * DAY;
    time_t ct = (time_t)close;
    struct tm tm;

    gmtime_r(&ct, &tm);
    row_add_id(w, "006", o);
    row_add(w, opp_deleted(o) ? "1" : "0");
    if (p->account >= 0)
        row_add_ref(w, g, O_OPP, o, "001", p->account);
    else
        row_add_nullref(w, r >> 4);
    row_add(w, r % 29 == 0 ? "1" : "0");
    opp_name(g, p, rnd(g, O_OPP, o, S_TYPE), &w->tmp);
    row_add(w, w->tmp.data);
    row_add_description(w, rnd(g, O_OPP, o, S_DESC), "the buyer");
    opp_stage(g, w, o, close);
    row_add_ref(w, g, O_OPP, o, "005", owner_of(g, O_OPP, o));
    row_add_audit(w, g, O_OPP, o);
    row_addf(w, "%d", tm.tm_year + 1900);
    row_addf(w, "%d", tm.tm_mon / 3 + 1);
    if (p->nroles > 0 && (r >> 12) % 10 < 4)
        row_add_ref(w, g, O_OPP, o, "003", p->roles[0]);
    else
        row_add(w, "");
}

static void ocr_row(const struct gen *g, struct row *w, const struct opp *p,
                    int n, long id)
{
    uint64_t r = rnd(g, O_OCR, id, S_TYPE);

    row_add_id(w, "00K", id);
    row_add_ref(w, g, O_OCR, id, "006", p->index);
    row_add_ref(w, g, O_OCR, id, "003", p->roles[n]);
    row_add(w, pick(sfgen_roles, sfgen_nroles, r));
    row_add(w, n == 0 ? "1" : "0");
    row_add_audit(w, g, O_OCR, id);
    row_add(w, "0");
}

static int header_write(struct row *w, const char *const *cols, size_t n,
                        struct csv_writer *cw, struct err *e)
{
    row_reset(w);
    for (size_t c = 0; c < n; c++)
        row_add(w, cols[c]);
    return row_write(w, n, cw, e);
}

static int opps_emit(const struct gen *g, struct row *w, struct csv_writer *ow,
                     struct csv_writer *rw, struct err *e)
{
    struct opp p;
    int rc;

    if ((rc = header_write(w, opp_cols, NOPP_COLS, ow, e)) < 0 ||
        (rc = header_write(w, ocr_cols, NOCR_COLS, rw, e)) < 0)
        return rc;
    for (long o = 0; o < g->o->opportunities; o++) {
        opp_plan(g, o, &p);
        row_reset(w);
        opp_row(g, w, &p);
        if ((rc = row_write(w, NOPP_COLS, ow, e)) < 0)
            return rc;
        g->res->opportunities++;
        for (int n = 0; n < p.nroles; n++) {
            row_reset(w);
            ocr_row(g, w, &p, n, g->res->contact_roles);
            if ((rc = row_write(w, NOCR_COLS, rw, e)) < 0)
                return rc;
            g->res->contact_roles++;
        }
    }
    return 0;
}

static int opportunities_write(const char *dir, const struct gen *g,
                               struct err *e)
{
    struct csv_writer_opts wo = {.quote_all = 1, .enc = g->o->enc};
    struct csv_writer *ow = NULL, *rw = NULL;
    struct row w = {0};
    char *opath = xasprintf("%s/Opportunity.csv", dir);
    char *rpath = xasprintf("%s/OpportunityContactRole.csv", dir);
    int rc;

    if ((rc = csv_writer_open(opath, 0644, &wo, &ow, e)) < 0 ||
        (rc = csv_writer_open(rpath, 0644, &wo, &rw, e)) < 0)
        goto out;
    rc = opps_emit(g, &w, ow, rw, e);
out:
    if (csv_writer_close(ow, rc < 0 ? NULL : e) < 0 && rc == 0)
        rc = ERR_IO;
    if (csv_writer_close(rw, rc < 0 ? NULL : e) < 0 && rc == 0)
        rc = ERR_IO;
    buf_release(&w.store);
    buf_release(&w.tmp);
    free(opath);
    free(rpath);
    return rc;
}

/* A file with one row per record of one object. */
struct object_file {
    const char *name;
    int crlf;
    const char *const *cols;
    size_t ncols;
    void (*row)(const struct gen *g, struct row *w, long i);
    long count;  /* rows to write */
    long *wrote; /* the result's count for this object */
};

static int rows_emit(const struct gen *g, const struct object_file *f,
                     struct row *w, struct csv_writer *cw, struct err *e)
{
    int rc;

    if ((rc = header_write(w, f->cols, f->ncols, cw, e)) < 0)
        return rc;
    for (long i = 0; i < f->count; i++) {
        row_reset(w);
        f->row(g, w, i);
        if ((rc = row_write(w, f->ncols, cw, e)) < 0)
            return rc;
        (*f->wrote)++;
    }
    return 0;
}

static int object_write(const char *dir, const struct gen *g,
                        const struct object_file *f, struct err *e)
{
    struct csv_writer_opts wo = {
        .quote_all = 1, .crlf = f->crlf, .enc = g->o->enc};
    struct csv_writer *cw = NULL;
    struct row w = {0};
    char *path = xasprintf("%s/%s", dir, f->name);
    int rc = csv_writer_open(path, 0644, &wo, &cw, e);

    if (rc < 0)
        goto out;
    rc = rows_emit(g, f, &w, cw, e);
    if (csv_writer_close(cw, rc < 0 ? NULL : e) < 0 && rc == 0)
        rc = e ? e->code : ERR_IO;
out:
    buf_release(&w.store);
    buf_release(&w.tmp);
    free(path);
    return rc;
}

static int opts_check(const struct sfgen_opts *o, struct err *e)
{
    long others = o->accounts + o->contacts + o->leads + o->opportunities;

    if (o->accounts < 0 || o->contacts < 0 || o->leads < 0 ||
        o->opportunities < 0 || o->users < 0)
        return err_set(e, ERR_USAGE, "row counts cannot be negative");
    if (others > 0 && o->users < 1)
        return err_set(e, ERR_USAGE,
                       "at least one user is needed to own records");
    if (o->enc != CSV_ENC_UTF8 && o->enc != CSV_ENC_LATIN1)
        return err_set(e, ERR_USAGE, "the generator writes UTF-8 or Latin-1");
    return 0;
}

int sfgen_write(const char *dir, const struct sfgen_opts *o,
                struct sfgen_result *res, struct err *e)
{
    struct sfgen_result local = {0};
    struct gen g = {o, res ? res : &local};
    const struct object_file files[] = {
        {"User.csv", 0, user_cols, NUSER_COLS, user_row, o->users,
         &g.res->users},
        {"Account.csv", 0, account_cols, NACCOUNT_COLS, account_row,
         o->accounts, &g.res->accounts},
        {"Contact.csv", 1, contact_cols, NCONTACT_COLS, contact_row,
         o->contacts, &g.res->contacts},
        {"Lead.csv", 1, lead_cols, NLEAD_COLS, lead_row, o->leads,
         &g.res->leads},
    };
    int rc;

    memset(g.res, 0, sizeof(*g.res));
    if ((rc = opts_check(o, e)) < 0)
        return rc;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "cannot create '%s': %s", dir,
                       strerror(errno));
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if ((rc = object_write(dir, &g, &files[i], e)) < 0)
            return rc;
    if ((rc = opportunities_write(dir, &g, e)) < 0)
        return rc;
    return 0;
}
