/* sfgen_data.c: word lists for the export generator. Company names and
 * domains are invented; domains use the reserved .example TLD. */
#include "source/sfgen_data.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct sfgen_name sfgen_first_names[] = {
    {"José", "jose"},     {"María", "maria"},   {"François", "francois"},
    {"Zoë", "zoe"},       {"Søren", "soren"},   {"Björn", "bjorn"},
    {"Ana", "ana"},       {"John", "john"},     {"Emma", "emma"},
    {"Liam", "liam"},     {"Olivia", "olivia"}, {"Noah", "noah"},
    {"Sophia", "sophia"}, {"Lucas", "lucas"},   {"Mia", "mia"},
    {"Léa", "lea"},       {"Jürgen", "jurgen"}, {"Inês", "ines"},
    {"Chloé", "chloe"},   {"Raúl", "raul"},     {"Ángel", "angel"},
    {"Hannah", "hannah"}, {"Mateo", "mateo"},   {"Aoife", "aoife"},
    {"Priya", "priya"},   {"Wei", "wei"},       {"Kenji", "kenji"},
    {"Fatima", "fatima"}, {"Olga", "olga"},     {"Pedro", "pedro"},
    {"Anaïs", "anais"},   {"Ömer", "omer"},
};
const size_t sfgen_nfirst_names = COUNT(sfgen_first_names);

const struct sfgen_name sfgen_last_names[] = {
    {"Müller", "muller"},
    {"García", "garcia"},
    {"Smith", "smith"},
    {"Johnson", "johnson"},
    {"Dubois", "dubois"},
    {"Núñez", "nunez"},
    {"Ångström", "angstrom"},
    {"Østergaard", "ostergaard"},
    {"Schröder", "schroder"},
    {"O'Brien", "obrien"},
    {"Peña", "pena"},
    {"Williams", "williams"},
    {"Brown", "brown"},
    {"Rossi", "rossi"},
    {"Martínez", "martinez"},
    {"Lefèvre", "lefevre"},
    {"Nakamura", "nakamura"},
    {"Kowalski", "kowalski"},
    {"Jensen", "jensen"},
    {"Fernández", "fernandez"},
    {"Patel", "patel"},
    {"Chen", "chen"},
    {"Silva", "silva"},
    {"Novak", "novak"},
    {"Weiß", "weiss"},
    {"Costa", "costa"},
    {"Murphy", "murphy"},
    {"Andersson", "andersson"},
    {"van der Berg", "vanderberg"},
    {"Gonçalves", "goncalves"},
};
const size_t sfgen_nlast_names = COUNT(sfgen_last_names);

const struct sfgen_name sfgen_companies[] = {
    {"Acme", "acme"},
    {"Globex", "globex"},
    {"Initech", "initech"},
    {"Umbrella Foods", "umbrella-foods"},
    {"Soylent", "soylent"},
    {"Hooli", "hooli"},
    {"Vandelay Industries", "vandelay"},
    {"Tyrell Systems", "tyrell"},
    {"Wonka Confectionery", "wonka"},
    {"Oceanic Freight", "oceanic"},
    {"Müller & Söhne", "mueller-soehne"},
    {"Café Olé", "cafe-ole"},
    {"Société Générale du Nord", "sgdn"},
    {"Björk Design", "bjork-design"},
    {"Peñarol Foods", "penarol-foods"},
    {"Smith, Jones & Partners", "smith-jones"},
    {"The \"Best\" Bakery", "best-bakery"},
    {"Nordlicht Energie", "nordlicht"},
    {"Água Viva", "agua-viva"},
    {"Blue Harbor Logistics", "blue-harbor"},
    {"Zephyr Analytics", "zephyr"},
    {"Kraków Components", "krakow-components"},
};
const size_t sfgen_ncompanies = COUNT(sfgen_companies);

const char *const sfgen_company_suffixes[] = {
    "Inc", "LLC", "GmbH", "S.A.", "Ltd", "AG", "SARL", "Corp.",
};
const size_t sfgen_ncompany_suffixes = COUNT(sfgen_company_suffixes);

const struct sfgen_city sfgen_cities[] = {
    {"San Francisco", "CA", "94105", "United States"},
    {"München", "BY", "80331", "Germany"},
    {"Zürich", "ZH", "8001", "Switzerland"},
    {"São Paulo", "SP", "01310-100", "Brazil"},
    {"Montréal", "QC", "H2Y 1C6", "Canada"},
    {"Málaga", "AN", "29001", "Spain"},
    {"London", "", "EC1A 1BB", "United Kingdom"},
    {"Bogotá", "DC", "110111", "Colombia"},
    {"Köln", "NW", "50667", "Germany"},
    {"Austin", "TX", "73301", "United States"},
    {"Paris", "", "75002", "France"},
    {"Århus", "", "8000", "Denmark"},
};
const size_t sfgen_ncities = COUNT(sfgen_cities);

const char *const sfgen_streets[] = {
    "Market Street", "Hauptstraße",      "Rue de la Paix", "Calle Mayor",
    "Main St",       "Avenida Paulista", "Bahnhofstraße",  "Elm Road",
};
const size_t sfgen_nstreets = COUNT(sfgen_streets);

/* Single-select values; some hold ';' as the standard picklist does. */
const char *const sfgen_industries[] = {
    "Technology",
    "Banking",
    "Manufacturing",
    "Retail",
    "Healthcare",
    "Education",
    "Food; drink; tobacco",
    "Energy",
    "Media; entertainment",
    "Consulting",
    "",
};
const size_t sfgen_nindustries = COUNT(sfgen_industries);

const char *const sfgen_account_types[] = {
    "Customer - Direct",
    "Customer - Channel",
    "Prospect",
    "Partner",
    "Other",
    "",
};
const size_t sfgen_naccount_types = COUNT(sfgen_account_types);

const char *const sfgen_titles[] = {
    "CEO",
    "CTO",
    "VP Sales",
    "Sales Manager",
    "Account Executive",
    "Directeur Général",
    "Head of Procurement",
    "Engineer",
    "Marketing Lead",
    "",
};
const size_t sfgen_ntitles = COUNT(sfgen_titles);

const char *const sfgen_departments[] = {
    "Sales", "Finance", "Engineering", "Operations", "Marketing", "",
};
const size_t sfgen_ndepartments = COUNT(sfgen_departments);

const char *const sfgen_lead_sources[] = {
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Trade Show",
    "Other",
    "",
};
const size_t sfgen_nlead_sources = COUNT(sfgen_lead_sources);

const char *const sfgen_lead_statuses[] = {
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Not Converted",
};
const size_t sfgen_nlead_statuses = COUNT(sfgen_lead_statuses);

const char *const sfgen_ratings[] = {"Hot", "Warm", "Cold", ""};
const size_t sfgen_nratings = COUNT(sfgen_ratings);

const struct sfgen_stage sfgen_stages[] = {
    {"Prospecting", 10, 0, 0, "Pipeline", "Pipeline"},
    {"Qualification", 10, 0, 0, "Pipeline", "Pipeline"},
    {"Needs Analysis", 20, 0, 0, "Pipeline", "Pipeline"},
    {"Value Proposition", 50, 0, 0, "Pipeline", "Pipeline"},
    {"Id. Decision Makers", 60, 0, 0, "Pipeline", "Pipeline"},
    {"Perception Analysis", 70, 0, 0, "BestCase", "Best Case"},
    {"Proposal/Price Quote", 75, 0, 0, "BestCase", "Best Case"},
    {"Negotiation/Review", 90, 0, 0, "Commit", "Commit"},
    {"Closed Won", 100, 1, 1, "Closed", "Closed"},
    {"Closed Lost", 0, 1, 0, "Omitted", "Omitted"},
};
const size_t sfgen_nstages = COUNT(sfgen_stages);

const char *const sfgen_opp_types[] = {
    "New Customer",
    "Existing Customer - Upgrade",
    "Existing Customer - Replacement",
    "",
};
const size_t sfgen_nopp_types = COUNT(sfgen_opp_types);

const char *const sfgen_roles[] = {
    "Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator",
    "Influencer",     "Business User",  "Other",
};
const size_t sfgen_nroles = COUNT(sfgen_roles);

const char *const sfgen_salutations[] = {"Mr.", "Ms.", "Mrs.", "Dr.", ""};
const size_t sfgen_nsalutations = COUNT(sfgen_salutations);
