/* sfgen_data.h: the word lists the export generator draws from. Every
 * entry can be written in ISO-8859-1, so a Latin-1 export loses nothing.
 * Internal to the generator. */
#ifndef HSM_SOURCE_SFGEN_DATA_H
#define HSM_SOURCE_SFGEN_DATA_H

#include <stddef.h>

struct sfgen_name {
    const char *text;  /* as a person would write it */
    const char *ascii; /* for e-mail addresses and domains */
};

struct sfgen_city {
    const char *city;
    const char *state;
    const char *postal;
    const char *country;
};

struct sfgen_stage {
    const char *name;
    int probability;
    int closed;
    int won;
    const char *forecast;      /* ForecastCategory (API value) */
    const char *forecast_name; /* ForecastCategoryName (label) */
};

extern const struct sfgen_name sfgen_first_names[];
extern const size_t sfgen_nfirst_names;
extern const struct sfgen_name sfgen_last_names[];
extern const size_t sfgen_nlast_names;
extern const struct sfgen_name sfgen_companies[];
extern const size_t sfgen_ncompanies;
extern const char *const sfgen_company_suffixes[];
extern const size_t sfgen_ncompany_suffixes;
extern const struct sfgen_city sfgen_cities[];
extern const size_t sfgen_ncities;
extern const char *const sfgen_streets[];
extern const size_t sfgen_nstreets;
extern const char *const sfgen_industries[];
extern const size_t sfgen_nindustries;
extern const char *const sfgen_account_types[];
extern const size_t sfgen_naccount_types;
extern const char *const sfgen_titles[];
extern const size_t sfgen_ntitles;
extern const char *const sfgen_departments[];
extern const size_t sfgen_ndepartments;
extern const char *const sfgen_lead_sources[];
extern const size_t sfgen_nlead_sources;
extern const char *const sfgen_lead_statuses[];
extern const size_t sfgen_nlead_statuses;
extern const char *const sfgen_ratings[];
extern const size_t sfgen_nratings;
extern const struct sfgen_stage sfgen_stages[];
extern const size_t sfgen_nstages;
extern const char *const sfgen_opp_types[];
extern const size_t sfgen_nopp_types;
extern const char *const sfgen_roles[];
extern const size_t sfgen_nroles;
extern const char *const sfgen_salutations[];
extern const size_t sfgen_nsalutations;

#endif
