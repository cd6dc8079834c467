/* gen_catalog: the search benchmark's three steps.
 *   gen_catalog generate DB FILMS PEOPLE
 *     writes a synthetic catalog through the catalog API (cc_film_ensure,
 *     cc_file_put, cc_film_set_meta: the same calls a scan makes, so the
 *     search index is kept the same way);
 *   gen_catalog queries DB QUERIES_OUT
 *     draws 1,000 queries from the catalog's own films (through the API);
 *   gen_catalog query DB QUERIES_IN
 *     times cc_search for every query (after one warm-up pass) and prints
 *     count, mean, median, p90, p99 and max in milliseconds.
 * Everything comes from a fixed-seed generator: the same arguments make
 * the same catalog and queries. */
#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_film.h"
#include "catalog/cc_search_query.h"
#include "catalog/cc_writer.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* xorshift64*: small, fast, reproducible. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static size_t pick(size_t n)
{
    return (size_t)(rng() % n);
}

/* Zipf-like rank in [0, n): a few words are very common, most are rare. */
static size_t zipf(size_t n)
{
    double u = (double)(rng() >> 11) / (double)(1ull << 53);
    size_t r = (size_t)floor(pow((double)n + 1, u)) - 1;
    return r < n ? r : n - 1;
}

/* clang-format off */
static const char *const common_words[] = {
    "the", "of", "a", "love", "night", "last", "man", "woman", "day", "dark", "house", "life",
    "city", "black", "red", "blue", "summer", "winter", "girl", "boy", "story", "death",
    "king", "war", "time", "road", "river", "sea", "world", "heart", "dead", "lost", "secret",
    "little", "big", "new", "old", "first", "long", "white", "golden", "silent", "wild",
    "blood", "star", "moon", "sun", "fire", "water", "stone", "glass", "paper", "ghost",
    "dream", "music", "dance", "song", "game", "home", "mother", "father", "brother",
    "sister", "daughter", "son", "children", "family", "friend", "stranger", "lovers",
    "glory", "pain", "mirror", "window", "garden", "island", "mountain", "desert", "forest",
    "street", "station", "train", "journey", "return", "escape", "midnight", "morning",
    "evening", "spring", "autumn", "rain", "snow", "wind", "storm", "shadow", "light",
    "angel", "devil", "saint", "queen", "prince", "captain", "doctor", "soldier", "thief",
    "killer", "detective", "hunter", "dreamer", "piano", "violin", "letter", "photograph",
};
/* clang-format on */
#define COMMON_COUNT (sizeof common_words / sizeof *common_words)

/* Syllables for invented words and surnames; some carry accents, so
 * folding matters as it does with real names. */
/* clang-format off */
static const char *const syllables[] = {
    "al", "mo", "dó", "var", "ban", "de", "ras", "pe", "né", "lo", "cruz", "ro", "gar", "cí",
    "mar", "tí", "nez", "fer", "nán", "lu", "bu", "ñu", "el", "ka", "ri", "ber", "man", "ze",
    "ta", "jo", "son", "lei", "ve", "sé", "ö", "kov", "ski", "ç", "ma", "tin",
};
/* clang-format on */
#define SYLLABLE_COUNT (sizeof syllables / sizeof *syllables)

/* clang-format off */
static const char *const first_names[] = {
    "Pedro", "Antonio", "Penélope", "Cecilia", "Agustín", "Alberto", "José", "María", "Ana",
    "Juan", "Carmen", "Luis", "Lucía", "Javier", "Elena", "Manuel", "Isabel", "Francisco",
    "Marta", "Jorge", "Laura", "Pablo", "Sofía", "Andrés", "Clara", "Ramón", "Inés", "Raúl",
    "Teresa", "Óscar", "Nuria", "Íñigo", "Rocío", "Jesús", "Begoña", "Ángel", "Mónica",
    "François", "Amélie", "Hélène", "Jérôme", "Céline", "Zoë", "Björn", "Søren", "Jürgen",
    "Mikaël", "Renée", "Chloé", "Noël", "Agnès", "Gérard", "Thérèse", "Stéphane", "Frédéric",
    "Anna", "Maria", "Peter", "Paul", "John", "Mary", "James", "Robert", "Michael", "William",
    "David", "Richard", "Joseph", "Thomas", "Charles", "Daniel", "Matthew", "Anthony", "Mark",
    "Steven", "Andrew", "Kenneth", "Joshua", "Kevin", "Brian", "George", "Edward", "Ronald",
    "Timothy", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan",
    "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory",
    "Alexander", "Frank", "Patrick", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron",
    "Henry", "Adam", "Douglas", "Nathan", "Zachary", "Kyle", "Walter", "Ethan", "Jeremy",
    "Harold", "Keith", "Christian", "Roger", "Noah", "Gerald", "Carl", "Terry", "Sean",
    "Austin", "Arthur", "Lawrence", "Jesse", "Dylan", "Bryan", "Joe", "Jordan", "Billy",
    "Bruce", "Albert", "Willie", "Gabriel", "Logan", "Alan", "Juan", "Wayne", "Roy", "Ralph",
    "Randy", "Eugene", "Vincent", "Russell", "Elijah", "Louis", "Bobby", "Philip", "Johnny",
    "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily",
    "Donna", "Michelle", "Dorothy", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie",
    "Rebecca", "Sharon", "Cynthia", "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Brenda",
    "Pamela", "Nicole", "Emma", "Samantha", "Katherine", "Christine", "Debra", "Rachel",
    "Catherine", "Carolyn", "Janet", "Ruth", "Heather", "Virginia", "Diane", "Julie", "Joyce",
    "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan",
    "Cheryl", "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Kathryn",
    "Alice", "Jean", "Doris", "Madison", "Julia", "Grace", "Judy", "Abigail", "Marie",
    "Denise", "Beverly", "Amber", "Theresa", "Marilyn", "Danielle", "Diana", "Brittany",
    "Natalie", "Sophia", "Rose", "Isabella", "Alexis", "Kayla", "Charlotte",
};
/* clang-format on */
#define FIRST_COUNT (sizeof first_names / sizeof *first_names)
#define SURNAME_COUNT (SYLLABLE_COUNT * SYLLABLE_COUNT * SYLLABLE_COUNT)
#define INVENTED_COUNT 40000

/* An invented word (two or three syllables) for rank k, capitalised. */
static void invented(size_t k, char *out, size_t size)
{
    size_t a = k % SYLLABLE_COUNT, b = (k / SYLLABLE_COUNT) % SYLLABLE_COUNT,
           c = k / (SYLLABLE_COUNT * SYLLABLE_COUNT);
    if (c == 0)
        snprintf(out, size, "%s%s", syllables[a], syllables[b]);
    else
        snprintf(out, size, "%s%s%s", syllables[a], syllables[b], syllables[c % SYLLABLE_COUNT]);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 32);
}

/* Title words: common words first in rank, then invented ones. */
static void title_word(size_t rank, char *out, size_t size)
{
    if (rank < COMMON_COUNT) {
        snprintf(out, size, "%s", common_words[rank]);
        if (out[0] >= 'a' && out[0] <= 'z')
            out[0] = (char)(out[0] - 32);
    } else {
        invented(rank - COMMON_COUNT + SYLLABLE_COUNT * SYLLABLE_COUNT, out, size);
    }
}

static void random_title(char *out, size_t size)
{
    size_t words = 1 + pick(4);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < words && len + 1 < size; i++) {
        char w[64];
        title_word(zipf(COMMON_COUNT + INVENTED_COUNT), w, sizeof w);
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", w);
    }
}

/* Person i's name: a bijection onto first name x surname, so every i gets
 * its own name and surnames are shared by a handful of people. */
static void person_name(size_t i, char *out, size_t size)
{
    uint64_t x = ((uint64_t)i * 7919u + 13u) % ((uint64_t)FIRST_COUNT * SURNAME_COUNT);
    char surname[64];
    invented(SYLLABLE_COUNT * SYLLABLE_COUNT +
                 x / FIRST_COUNT % (SURNAME_COUNT - SYLLABLE_COUNT * SYLLABLE_COUNT),
             surname, sizeof surname);
    snprintf(out, size, "%s %s", first_names[x % FIRST_COUNT], surname);
}

static int fail(const char *what, const cu_err *err)
{
    fprintf(stderr, "gen_catalog: %s: %s\n", what, err->msg);
    return 1;
}

/* Random ASCII folding of s (as a person types without accents). */
static char *folded(const char *s)
{
    return cu_fold(s ? s : "");
}

/* One edit in a word of six letters or more of name (folded), or NULL. */
static char *with_typo(const char *name)
{
    char *f = folded(name);
    char *best = NULL;
    for (char *w = strtok(f, " "); w; w = strtok(NULL, " "))
        if (strlen(w) >= 6 && (!best || pick(2)))
            best = w;
    char *out = NULL;
    if (best) {
        size_t len = strlen(best), at = 1 + pick(len - 2);
        out = cu_xstrdup(best);
        switch (pick(3)) {
        case 0: memmove(out + at, out + at + 1, len - at); break; /* a letter missing */
        case 1: out[at] = out[at] == 'x' ? 'q' : 'x'; break;      /* a wrong letter */
        default: {
            char t = out[at];
            out[at] = out[at + 1];
            out[at + 1] = t;
        } /* swapped */
        }
    }
    free(f);
    return out;
}

/* A person credited on film, or NULL. */
static const cc_credit *some_credit(const cc_film *film, bool with_character)
{
    for (int tries = 0; tries < 8 && film->credit_count; tries++) {
        const cc_credit *c = &film->credits[pick(film->credit_count)];
        if (!with_character || c->character)
            return c;
    }
    return NULL;
}

/* The benchmark's queries, drawn from the catalog itself through its API,
 * in these shares: title prefixes as typed (20%), full titles as written
 * (15%), names with accents (15%), names without (15%, half of them the
 * surname alone), names with one typo (15%), characters (10%), original
 * titles (5%) and words the catalog does not have (5%, which makes the
 * search try typos before giving up). */
static int make_queries(const char *path, const char *out_path, size_t count)
{
    cu_err err = {0};
    cc_db *db;
    if (cc_db_open(path, CC_OPEN_READONLY, &db, &err) < 0)
        return fail("open", &err);
    int64_t *ids;
    size_t n;
    if (cc_film_list_ids(db, &ids, &n, &err) < 0)
        return fail("films", &err);
    if (n == 0) {
        fprintf(stderr, "gen_catalog: no films in %s\n", path);
        return 1;
    }
    FILE *out = fopen(out_path, "w");
    if (!out) {
        perror(out_path);
        return 1;
    }
    for (size_t q = 0; q < count;) {
        cc_film *film;
        if (cc_film_get(db, ids[pick(n)], &film, &err) < 0)
            return fail("film", &err);
        size_t kind = q % 20;
        char *line = NULL;
        if (kind < 4) { /* a title being typed: some words, the start of the next */
            char *f = folded(film->title);
            size_t len = strlen(f), cut = len < 3 ? len : 2 + pick(len - 1);
            while (cut < len && ((unsigned char)f[cut] & 0xC0) == 0x80)
                cut++;
            f[cut] = '\0';
            line = f;
        } else if (kind < 7) {
            line = cu_xstrdup(film->title);
        } else if (kind < 10) {
            const cc_credit *c = some_credit(film, false);
            line = c ? cu_xstrdup(c->name) : NULL;
        } else if (kind < 13) {
            const cc_credit *c = some_credit(film, false);
            if (c) {
                line = folded(c->name);
                char *space = strchr(line, ' ');
                if (space && pick(2))
                    memmove(line, space + 1, strlen(space));
            }
        } else if (kind < 16) {
            const cc_credit *c = some_credit(film, false);
            line = c ? with_typo(c->name) : NULL;
        } else if (kind < 18) {
            const cc_credit *c = some_credit(film, true);
            line = c ? folded(c->character) : NULL;
        } else if (kind < 19) {
            line = film->original_title ? folded(film->original_title) : NULL;
        } else {
            char word[16];
            size_t len = 5 + pick(5);
            for (size_t i = 0; i < len; i++)
                word[i] = "bcdfghjklmnpqrstvwxz"[pick(20)];
            word[len] = '\0';
            line = cu_xstrdup(word);
        }
        if (line && *line) {
            fprintf(out, "%s\n", line);
            q++;
        }
        free(line);
        cc_film_free(film);
    }
    fclose(out);
    free(ids);
    cc_db_close(db);
    return 0;
}

static int generate(const char *path, size_t films, size_t people)
{
    cu_err err = {0};
    cc_db *db;
    if (cc_db_open(path, CC_OPEN_READWRITE, &db, &err) < 0)
        return fail("open", &err);
    cc_writer *writer = cc_writer_new(db, 0);
    size_t next_person = 0; /* every person gets at least one credit */
    char key[64], path_buf[128], title[256], original[256], plot[1024];
    char names[8][128], characters[8][128];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < films; i++) {
        if (i % 1000 == 0 && cc_writer_begin(writer, &err) < 0)
            return fail("begin", &err);
        snprintf(key, sizeof key, "/bench/film-%zu", i);
        random_title(title, sizeof title);
        cc_film_names fn = {.title = title, .year = 1920 + (int)pick(105)};
        int64_t film_id, file_id;
        if (cc_film_ensure(db, key, &fn, &film_id, &err) < 0)
            return fail("film", &err);
        snprintf(path_buf, sizeof path_buf, "%s/film.mkv", key);
        cc_file_place place = {.path = path_buf, .root = "/bench", .film_id = film_id, .part = 1};
        if (cc_file_put(db, &place, 1000, 1, NULL, NULL, "synthetic", &file_id, &err) < 0)
            return fail("file", &err);
        /* About one film in five has a special feature. */
        if (pick(5) == 0) {
            char extra_title[300];
            snprintf(extra_title, sizeof extra_title, "Making of %s", title);
            snprintf(path_buf, sizeof path_buf, "%s/Featurettes/making-of.mkv", key);
            cc_file_place x = {.path = path_buf,
                               .root = "/bench",
                               .film_id = film_id,
                               .is_extra = true,
                               .extra_type = "featurette",
                               .extra_title = extra_title};
            if (cc_file_put(db, &x, 100, 1, NULL, NULL, "synthetic", NULL, &err) < 0)
                return fail("extra", &err);
        }
        /* A director and two to seven actors. */
        size_t credit_count = 3 + pick(6);
        cc_credit credits[8];
        for (size_t c = 0; c < credit_count; c++) {
            size_t who = next_person < people ? next_person++ : zipf(people);
            person_name(who, names[c], sizeof names[c]);
            credits[c] = (cc_credit){
                .name = names[c], .job = c == 0 ? "director" : "actor", .billing = (int)c};
            if (c > 0) {
                char surname[64];
                invented(pick(SURNAME_COUNT), surname, sizeof surname);
                snprintf(characters[c], sizeof characters[c], "%s %s",
                         first_names[pick(FIRST_COUNT)], surname);
                credits[c].character = characters[c];
            }
        }
        size_t len = 0;
        size_t words = 15 + pick(25);
        for (size_t w = 0; w < words && len + 70 < sizeof plot; w++) {
            char word[64];
            title_word(zipf(COMMON_COUNT + INVENTED_COUNT), word, sizeof word);
            len += (size_t)snprintf(plot + len, sizeof plot - len, "%s%s", w ? " " : "", word);
        }
        cc_film meta = {.metadata_source = "nfo",
                        .title = title,
                        .year = fn.year,
                        .plot = plot,
                        .credits = credits,
                        .credit_count = credit_count};
        if (pick(3) == 0) {
            random_title(original, sizeof original);
            meta.original_title = original;
        }
        /* Most films rated by one or two sources, some with a festival
         * premiere and a theatrical release: the rating and release sorts
         * then order real values, not only the year. */
        cc_rating ratings[2];
        meta.ratings = ratings;
        meta.rating_count = pick(5) == 0 ? 0 : 1 + pick(2);
        for (size_t r = 0; r < meta.rating_count; r++)
            ratings[r] = (cc_rating){.source = r ? "imdb" : "tmdb",
                                     .value = (double)pick(101) / 10,
                                     .max = 10,
                                     .votes = 10 + (int)pick(5000)};
        cc_release releases[2];
        char dates[2][40]; /* room for any int year, as -Wformat-truncation counts */
        meta.releases = releases;
        meta.release_count = pick(3) == 0 ? 0 : 1 + pick(2);
        for (size_t r = 0; r < meta.release_count; r++) {
            snprintf(dates[r], sizeof dates[r], "%d-%02d-%02d", fn.year + (int)r, 1 + (int)pick(12),
                     1 + (int)pick(28));
            releases[r] = (cc_release){.type = r ? "theatrical" : "festival",
                                       .date = dates[r],
                                       .country = "FR",
                                       .event = r ? NULL : "Bench Festival"};
        }
        if (cc_film_set_meta(db, film_id, &meta, &err) < 0)
            return fail("metadata", &err);
        if (i % 1000 == 999 || i == films - 1) {
            if (cc_writer_commit(writer, &err) < 0)
                return fail("commit", &err);
        }
        if (i % 10000 == 9999)
            fprintf(stderr, "  %zu films\n", i + 1);
    }
    /* 3 to 8 credits a film: 100,000 films credit every one of 300,000
     * people; the counts printed below say what was made. */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cc_counts counts;
    if (cc_browse_totals(db, &counts, &err) < 0)
        return fail("counts", &err);
    printf("generated %lld films, %lld people, %lld extras in %.1f s\n", (long long)counts.films,
           (long long)counts.people, (long long)counts.extras,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    cc_writer_free(writer);
    cc_db_close(db);
    return 0;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double elapsed_ms(const struct timespec *t0, const struct timespec *t1)
{
    return (double)(t1->tv_sec - t0->tv_sec) * 1e3 + (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
}

static void report(const char *label, double *ms, size_t count)
{
    double sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += ms[i];
    qsort(ms, count, sizeof *ms, compare_double);
    printf("%-5s mean %.3f ms  median %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms\n", label,
           sum / (double)count, ms[count / 2], ms[count * 90 / 100], ms[count * 99 / 100],
           ms[count - 1]);
}

/* Wall time is what a user waits; CPU time (this thread's) is the same
 * without the waits a busy, shared machine adds. Both are reported. */
static int query(const char *path, const char *queries_path)
{
    cu_err err = {0};
    cc_db *db;
    if (cc_db_open(path, CC_OPEN_READONLY, &db, &err) < 0)
        return fail("open", &err);
    FILE *in = fopen(queries_path, "r");
    if (!in) {
        perror(queries_path);
        return 1;
    }
    char **queries = NULL;
    size_t count = 0, cap = 0;
    char line[512];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        if (count == cap) {
            cap = cap ? cap * 2 : 1024;
            queries = cu_xreallocarray(queries, cap, sizeof *queries);
        }
        queries[count++] = cu_xstrdup(line);
    }
    fclose(in);
    if (count == 0) {
        fprintf(stderr, "gen_catalog: no queries in %s\n", queries_path);
        return 1;
    }
    double *wall = cu_xcalloc(count, sizeof *wall), *cpu = cu_xcalloc(count, sizeof *cpu);
    size_t found = 0, hits = 0;
    for (int pass = 0; pass < 2; pass++) { /* pass 0 warms the page cache */
        double cold = 0;
        for (size_t i = 0; i < count; i++) {
            struct timespec w0, w1, c0, c1;
            cc_search_result r;
            clock_gettime(CLOCK_MONOTONIC, &w0);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
            if (cc_search_query(db, queries[i], 20, &r, &err) < 0)
                return fail(queries[i], &err);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
            clock_gettime(CLOCK_MONOTONIC, &w1);
            wall[i] = elapsed_ms(&w0, &w1);
            cpu[i] = elapsed_ms(&c0, &c1);
            cold += wall[i];
            if (pass == 1) {
                size_t n = r.film_count + r.person_count + r.extra_count;
                found += n > 0;
                hits += n;
            }
            cc_search_query_clear(&r);
        }
        if (pass == 0)
            printf("cold pass: mean %.3f ms (wall)\n", cold / (double)count);
    }
    /* The costliest queries, for whoever tunes this next. */
    for (size_t k = 0; k < 5 && k < count; k++) {
        size_t worst = 0;
        for (size_t i = 1; i < count; i++)
            if (cpu[i] > cpu[worst])
                worst = i;
        printf("costly: %.3f ms cpu, %.3f ms wall  %s\n", cpu[worst], wall[worst], queries[worst]);
        cpu[worst] = -cpu[worst]; /* skip it next round */
    }
    for (size_t i = 0; i < count; i++)
        cpu[i] = cpu[i] < 0 ? -cpu[i] : cpu[i];
    printf("queries %zu  with results %zu  hits %zu\n", count, found, hits);
    report("wall", wall, count);
    report("cpu", cpu, count);
    for (size_t i = 0; i < count; i++)
        free(queries[i]);
    free(queries);
    free(wall);
    free(cpu);
    cc_db_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "generate"))
        return generate(argv[2], strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10));
    if (argc == 4 && !strcmp(argv[1], "queries"))
        return make_queries(argv[2], argv[3], 1000);
    if (argc == 4 && !strcmp(argv[1], "query"))
        return query(argv[2], argv[3]);
    fprintf(stderr, "usage: gen_catalog generate DB FILMS PEOPLE\n"
                    "       gen_catalog queries DB QUERIES_OUT\n"
                    "       gen_catalog query DB QUERIES\n");
    return 2;
}
