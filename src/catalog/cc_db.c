/* cc_db: opening the catalog, its schema and migrations, and the helpers
 * every entity file shares. Transactions: cc_writer.c. */
#include "catalog/cc_backup.h"
#include "catalog/cc_edition.h"
#include "catalog/cc_memo.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_index.h"
#include "catalog/cc_search_query.h"
#include "catalog/cc_shelf.h"
#include "util/cu_str.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each connection's page cache: the server has one connection a worker
 * thread, so this times the threads is its catalog memory at most. */
#define CC_DB_CACHE_KIB 8192

/* Schema history: migrations[i] upgrades version i to i+1. Never edit a
 * released step; add a new one and bump CC_SCHEMA_VERSION. */
/* The schema's SQL is laid out by hand, a clause a line, and the
 * migration steps one a line, a version each. */
/* clang-format off */
/* A film's best rating on a 0-10 scale (NULL: unrated) and its first
 * known date: the premiere, else its earliest release, else its year.
 * id / t name the film's id and its row (films, or new in a trigger). */
#define FILM_RATING_SQL(id)                                                                       \
    "(SELECT max(r.value * 10.0 / (CASE WHEN r.max > 0 THEN r.max ELSE 10 END)) FROM ratings r"  \
    " WHERE r.film_id = " id " AND r.value > 0)"
#define FILM_RELEASE_SQL(t)                                                                       \
    "coalesce(" t ".premiered, (SELECT min(r.date) FROM releases r WHERE r.film_id = " t ".id"   \
    " AND r.date IS NOT NULL), CAST(" t ".year AS TEXT))"

/* What a films-list row shows besides the films table's own columns
 * (cc_browse.c): genres, the first director, a poster, the tallest main
 * picture and HDR. id is the film's id as SQL. Kept in film_list_rows by
 * triggers (migration 17 -> 18), so a page reads one row per film. */
#define LIST_GENRES_SQL(id)                                                                       \
    "(SELECT group_concat(value, ', ') FROM (SELECT value FROM film_terms t"                     \
    " WHERE t.film_id = " id " AND t.kind = 'genre' ORDER BY value))"
#define LIST_DIRECTOR_SQL(id)                                                                     \
    "(SELECT p.name FROM credits c JOIN people p ON p.id = c.person_id"                          \
    " WHERE c.film_id = " id " AND c.job = 'director' ORDER BY c.rowid LIMIT 1)"
#define LIST_POSTER_SQL(id)                                                                       \
    "EXISTS (SELECT 1 FROM artwork a WHERE a.film_id = " id " AND a.kind = 'poster')"
#define LIST_HEIGHT_SQL(id)                                                                       \
    "coalesce((SELECT max(s.height) FROM files x JOIN streams s ON s.file_id = x.id"             \
    " WHERE x.film_id = " id " AND x.role = 'main' AND s.type = 'video' AND s.attached_pic = 0), 0)"
#define LIST_HDR_SQL(id)                                                                          \
    "EXISTS (SELECT 1 FROM files x JOIN streams s ON s.file_id = x.id WHERE x.film_id = " id     \
    " AND x.role = 'main' AND s.type = 'video' AND s.hdr IS NOT NULL AND s.hdr != '')"
/* Sets the picture columns of the films whose ids `ids` (SQL) lists. */
#define LIST_PICTURE_UPDATE(ids)                                                                  \
    "UPDATE film_list_rows SET height = " LIST_HEIGHT_SQL("film_list_rows.film_id") ","          \
    " hdr = " LIST_HDR_SQL("film_list_rows.film_id") " WHERE film_id IN (" ids ");"

/* Migration 19: film_plays, one row per user and film played, that film's
 * last play and its play count over all its files (the played and plays
 * sorts' keys). Worked out again, for the users and films given as SQL
 * lists, by every trigger that can move them. */
#define PLAYS_REDO(users, films)                                                                   \
    "DELETE FROM film_plays WHERE user_id IN (" users ") AND film_id IN (" films ");"              \
    "INSERT INTO film_plays (user_id, film_id, last_played, play_count)"                           \
    " SELECT w.user_id, x.film_id, max(w.last_played), max(w.play_count)"                          \
    " FROM files x CROSS JOIN watch w ON w.file_id = x.id"                                         \
    " WHERE x.film_id IN (" films ") AND w.user_id IN (" users ")"                                 \
    " GROUP BY w.user_id, x.film_id"                                                               \
    " HAVING max(w.last_played) IS NOT NULL OR max(w.play_count) > 0;"

/* Migration 20: the visibility stamp's one step. */
#define SCOPE_BUMP "UPDATE scope_stamp SET n = n + 1;"

static const char *const migrations[] = {
    /* 0 -> 1: the first catalog. */
    "CREATE TABLE films ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"          /* folder, or folder/stem for flat films */
    "  title TEXT NOT NULL,"
    "  original_title TEXT, sort_title TEXT,"
    "  year INTEGER,"
    "  tmdb_id TEXT, imdb_id TEXT,"
    "  plot TEXT, outline TEXT, tagline TEXT,"
    "  runtime INTEGER,"                   /* minutes, from metadata */
    "  premiered TEXT, mpaa TEXT,"
    "  set_name TEXT, set_overview TEXT,"
    "  metadata_source TEXT NOT NULL DEFAULT 'name'," /* name | tags | nfo */
    "  metadata_path TEXT, metadata_mtime INTEGER,"
    "  added_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE files ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  root TEXT NOT NULL,"
    "  film_id INTEGER REFERENCES films(id) ON DELETE SET NULL,"
    "  role TEXT NOT NULL DEFAULT 'main',"  /* main | extra */
    "  part INTEGER NOT NULL DEFAULT 1,"
    "  version TEXT,"
    "  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
    "  fingerprint TEXT,"
    "  probe_error TEXT,"                   /* NULL when the probe succeeded */
    "  container TEXT, format_name TEXT, duration REAL, bit_rate INTEGER,"
    "  tag_title TEXT, tag_date TEXT, tag_description TEXT, tag_comment TEXT,"
    "  added_at INTEGER NOT NULL, probed_at INTEGER NOT NULL);"
    "CREATE INDEX files_film ON files(film_id);"
    "CREATE INDEX files_root ON files(root);"
    "CREATE INDEX files_size ON files(size);"
    "CREATE TABLE streams ("
    "  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
    "  idx INTEGER NOT NULL, type TEXT NOT NULL, codec TEXT, profile TEXT,"
    "  width INTEGER, height INTEGER, frame_rate REAL, bit_depth INTEGER,"
    "  pix_fmt TEXT, hdr TEXT, attached_pic INTEGER NOT NULL DEFAULT 0,"
    "  channels INTEGER, sample_rate INTEGER, channel_layout TEXT,"
    "  bit_rate INTEGER, language TEXT, title TEXT,"
    "  is_default INTEGER NOT NULL DEFAULT 0, is_forced INTEGER NOT NULL DEFAULT 0,"
    "  is_hearing_impaired INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (file_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE chapters ("
    "  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
    "  idx INTEGER NOT NULL, start REAL NOT NULL, end REAL NOT NULL, title TEXT,"
    "  PRIMARY KEY (file_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE extras ("
    "  id INTEGER PRIMARY KEY,"
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  file_id INTEGER NOT NULL UNIQUE REFERENCES files(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL, title TEXT NOT NULL, plot TEXT);"
    "CREATE INDEX extras_film ON extras(film_id);"
    "CREATE TABLE people ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, folded TEXT NOT NULL, thumb TEXT);"
    "CREATE TABLE credits ("
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  person_id INTEGER NOT NULL REFERENCES people(id),"
    "  job TEXT NOT NULL, character TEXT, billing INTEGER);"
    "CREATE INDEX credits_film ON credits(film_id);"
    "CREATE INDEX credits_person ON credits(person_id);"
    "CREATE TABLE releases ("
    "  id INTEGER PRIMARY KEY,"
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL, date TEXT, country TEXT, event TEXT, section TEXT,"
    "  distributor TEXT, format TEXT, note TEXT);"
    "CREATE INDEX releases_film ON releases(film_id);"
    "CREATE TABLE film_terms ("           /* genre | country | studio | tag */
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, value TEXT NOT NULL,"
    "  PRIMARY KEY (film_id, kind, value)) WITHOUT ROWID;"
    "CREATE TABLE ratings ("
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  source TEXT NOT NULL, value REAL, votes INTEGER, max REAL);"
    "CREATE TABLE artwork ("
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, path TEXT NOT NULL, generated INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (film_id, kind)) WITHOUT ROWID;"
    "CREATE TABLE scan_errors ("
    "  path TEXT PRIMARY KEY, root TEXT NOT NULL, kind TEXT NOT NULL,"
    "  message TEXT NOT NULL, at INTEGER NOT NULL);",
    /* 1 -> 2: full-text search (cc_search.c). Folded words in FTS5 tables;
     * exact and prefix keys of titles and names; the typo neighbourhood.
     * Filled by the last step that changes the index (the index is derived
     * data: one rebuild at the end serves every step before it). */
    "CREATE VIRTUAL TABLE search_films USING fts5("
    "  title, original, people, characters, extras, plot,"
    "  tokenize = 'ascii', prefix = '1 2 3');"
    "INSERT INTO search_films (search_films, rank) VALUES"
    "  ('rank', 'bm25(10.0, 8.0, 5.0, 4.0, 3.0, 1.0)');"
    "CREATE VIRTUAL TABLE search_people USING fts5(name, tokenize = 'ascii', prefix = '1 2 3');"
    "CREATE VIRTUAL TABLE search_extras USING fts5(title, tokenize = 'ascii', prefix = '1 2 3');"
    "CREATE TABLE search_keys ("              /* kind: 0 film, 1 person, 2 extra */
    "  kind INTEGER NOT NULL, key TEXT NOT NULL, id INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, key, id)) WITHOUT ROWID;"
    "CREATE INDEX search_keys_id ON search_keys(kind, id);"
    "CREATE TABLE search_typos ("
    "  variant TEXT NOT NULL, term TEXT NOT NULL,"
    "  PRIMARY KEY (variant, term)) WITHOUT ROWID;",
    /* 2 -> 3: plots get their own table. In one table with titles and
     * names, their many common words made every doclist long and a query
     * of common words cost milliseconds; apart, the names table stays
     * small and plots are searched when titles and names run short. */
    "DROP TABLE search_films;"
    "CREATE VIRTUAL TABLE search_films USING fts5("
    "  title, original, people, characters, extras,"
    "  tokenize = 'ascii', prefix = '1 2 3');"
    "INSERT INTO search_films (search_films, rank) VALUES"
    "  ('rank', 'bm25(10.0, 8.0, 5.0, 4.0, 3.0)');"
    "CREATE VIRTUAL TABLE search_plots USING fts5(plot, tokenize = 'ascii');",
    /* 3 -> 4: prefix indexes up to six letters. Without one, a prefix such
     * as "cruz" (a surname typed in full, as the last word) merges the
     * doclists of every word that starts with it, milliseconds in a big
     * catalog; the longer index costs about 3/4 more space for names.
     * Ranking is cc_rank (cc_search.c), so no bm25 configuration. */
    "DROP TABLE search_films; DROP TABLE search_people; DROP TABLE search_extras;"
    "CREATE VIRTUAL TABLE search_films USING fts5("
    "  title, original, people, characters, extras,"
    "  tokenize = 'ascii', prefix = '1 2 3 4 5 6');"
    "CREATE VIRTUAL TABLE search_people USING fts5("
    "  name, tokenize = 'ascii', prefix = '1 2 3 4 5 6');"
    "CREATE VIRTUAL TABLE search_extras USING fts5("
    "  title, tokenize = 'ascii', prefix = '1 2 3 4 5 6');",
    /* 4 -> 5: facts about files that playback needs without opening them:
     * keyframe indexes (media's serialized format, built after a scan and
     * dropped when the file's content changes), sidecar subtitles found
     * beside a film's file, and the scan service's status as one row. */
    "CREATE TABLE keyframes ("
    "  file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,"
    "  data BLOB NOT NULL, built_at INTEGER NOT NULL);"
    "CREATE TABLE subtitles ("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL UNIQUE,"
    "  format TEXT NOT NULL,"                /* srt | ass | ssa | vtt | sub */
    "  language TEXT,"                        /* as named: en, es, pt-BR; NULL when none */
    "  title TEXT,"
    "  is_forced INTEGER NOT NULL DEFAULT 0, is_hearing_impaired INTEGER NOT NULL DEFAULT 0,"
    "  is_default INTEGER NOT NULL DEFAULT 0,"
    "  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL);"
    "CREATE INDEX subtitles_file ON subtitles(file_id);"
    "CREATE TABLE scan_status ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  state TEXT NOT NULL,"                  /* starting | scanning | idle | failed */
    "  found INTEGER NOT NULL DEFAULT 0, probed INTEGER NOT NULL DEFAULT 0,"
    "  to_probe INTEGER NOT NULL DEFAULT 0, scans INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL DEFAULT 0, finished_at INTEGER NOT NULL DEFAULT 0,"
    "  films INTEGER NOT NULL DEFAULT 0, extras INTEGER NOT NULL DEFAULT 0,"
    "  files INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,"
    "  changed INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,"
    "  moved INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT, watching INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL DEFAULT 0);",
    /* 5 -> 6: an index per sort key of the films list (cc_browse.c), so a
     * page is read from an index instead of sorting 100,000 rows per
     * request. The runtime a list shows and sorts by (metadata, else the
     * main files' durations) becomes a stored column kept by triggers on
     * both tables, since an index cannot hold a subquery. */
    "ALTER TABLE films ADD COLUMN sort_runtime INTEGER NOT NULL DEFAULT 0;"
    "UPDATE films SET sort_runtime = " CC_FILM_RUNTIME_SQL("films") ";"
    "CREATE TRIGGER films_runtime_files_insert AFTER INSERT ON files"
    "  WHEN new.film_id IS NOT NULL BEGIN"
    "  UPDATE films SET sort_runtime = " CC_FILM_RUNTIME_SQL("films") " WHERE id = new.film_id;"
    "  END;"
    "CREATE TRIGGER films_runtime_files_update AFTER UPDATE OF film_id, role, part, duration"
    "  ON files BEGIN"
    "  UPDATE films SET sort_runtime = " CC_FILM_RUNTIME_SQL("films")
    "    WHERE id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER films_runtime_files_delete AFTER DELETE ON files"
    "  WHEN old.film_id IS NOT NULL BEGIN"
    "  UPDATE films SET sort_runtime = " CC_FILM_RUNTIME_SQL("films") " WHERE id = old.film_id;"
    "  END;"
    "CREATE TRIGGER films_runtime_update AFTER UPDATE OF runtime ON films BEGIN"
    "  UPDATE films SET sort_runtime = " CC_FILM_RUNTIME_SQL("films") " WHERE id = new.id;"
    "  END;"
    "CREATE INDEX films_sort_title ON films("
    "  coalesce(sort_title, title) COLLATE NOCASE, year, id);"
    "CREATE INDEX films_sort_year_asc ON films("
    "  year IS NULL, year, coalesce(sort_title, title) COLLATE NOCASE, id);"
    "CREATE INDEX films_sort_year_desc ON films("
    "  year IS NULL, year DESC, coalesce(sort_title, title) COLLATE NOCASE DESC, id DESC);"
    "CREATE INDEX films_sort_added ON films(added_at, id);"
    "CREATE INDEX films_sort_runtime ON films("
    "  sort_runtime, coalesce(sort_title, title) COLLATE NOCASE, id);",
    /* 6 -> 7: what people did (cc_watch.c) and library roots that went
     * offline (cc_root.c). Watch rows have no foreign key on purpose: a
     * rescan never deletes them. When a file leaves the catalog its rows
     * are set aside under the negated id (an id SQLite hands out again
     * starts clean), and they return to a file that comes back with the
     * same size and fingerprint. */
    "CREATE TABLE watch ("
    "  user_id INTEGER NOT NULL,"
    "  file_id INTEGER NOT NULL,"          /* negative: the file left the catalog */
    "  position REAL NOT NULL DEFAULT 0,"  /* seconds; 0 when not started or finished */
    "  duration REAL,"
    "  watched INTEGER NOT NULL DEFAULT 0,"
    "  play_count INTEGER NOT NULL DEFAULT 0,"
    "  last_played INTEGER,"               /* seconds since the epoch */
    "  updated_at INTEGER NOT NULL,"
    "  fingerprint TEXT, size INTEGER,"    /* the file's, to find it again */
    "  PRIMARY KEY (user_id, file_id)) WITHOUT ROWID;"
    "CREATE INDEX watch_file ON watch(file_id);"
    "CREATE INDEX watch_recent ON watch(user_id, last_played);"
    "CREATE INDEX watch_orphans ON watch(fingerprint, size) WHERE file_id < 0;"
    "CREATE TRIGGER watch_file_gone AFTER DELETE ON files BEGIN"
    "  UPDATE watch SET file_id = -old.id WHERE file_id = old.id;"
    "END;"
    "CREATE TRIGGER watch_file_new AFTER INSERT ON files WHEN new.fingerprint IS NOT NULL BEGIN"
    "  UPDATE OR IGNORE watch SET file_id = new.id"
    "   WHERE file_id < 0 AND fingerprint = new.fingerprint AND size = new.size;"
    "END;"
    "CREATE TRIGGER watch_file_print AFTER UPDATE OF fingerprint ON files"
    "  WHEN new.fingerprint IS NOT NULL AND new.fingerprint IS NOT old.fingerprint BEGIN"
    "  UPDATE OR IGNORE watch SET file_id = new.id"
    "   WHERE file_id < 0 AND fingerprint = new.fingerprint AND size = new.size;"
    "END;"
    "CREATE TABLE roots ("
    "  path TEXT PRIMARY KEY,"
    "  device INTEGER,"                    /* st_dev when last seen online */
    "  offline INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT,"                       /* why it is offline */
    "  since INTEGER,"                     /* offline since (epoch seconds) */
    "  checked_at INTEGER NOT NULL);",
    /* 7 -> 8: accounts (cc_user.c, cc_session.c). Passwords as argon2id
     * strings; sessions and API tokens only as hashes of the token, so a
     * copy of the catalog signs nobody in. generation is bumped by "sign
     * out everywhere", a new password, disabling: signed URLs carry it.
     * all_roots = 0 limits a user to user_roots; max_cert to films rated
     * at most that. library_folders: folders added from the web app.
     * IF NOT EXISTS: a catalog whose version was set back by hand (the
     * search tests do) still upgrades. */
    "CREATE TABLE IF NOT EXISTS users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  password TEXT NOT NULL,"
    "  admin INTEGER NOT NULL DEFAULT 0,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  all_roots INTEGER NOT NULL DEFAULT 1,"
    "  max_cert TEXT,"
    "  generation INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS user_roots ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  root TEXT NOT NULL, PRIMARY KEY (user_id, root)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL,"               /* 0 browser session, 1 API token */
    "  hash TEXT NOT NULL UNIQUE,"
    "  name TEXT, address TEXT,"
    "  created_at INTEGER NOT NULL, last_used INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"         /* 0: never (tokens) */
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);"
    "CREATE TABLE IF NOT EXISTS library_folders ("
    "  path TEXT PRIMARY KEY, added_at INTEGER NOT NULL) WITHOUT ROWID;",
    /* 8 -> 9: editions (cuts) and versions (copies of a cut: files, parts,
     * discs) of films (cc_edition.c). Labels are '' for the default ones
     * (UNIQUE would not hold with NULLs). A disc's titles are files of its
     * version: disc_title is the playlist or title number, title_kind main
     * or extra. Existing main files go to versions of a default edition
     * (the migration step); the next scan places them by name. */
    "CREATE TABLE editions ("
    "  id INTEGER PRIMARY KEY,"
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  year INTEGER, notes TEXT,"
    "  UNIQUE (film_id, label));"
    "CREATE TABLE versions ("
    "  id INTEGER PRIMARY KEY,"
    "  edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL DEFAULT 'file',"  /* file | bluray | dvd */
    "  UNIQUE (edition_id, label));"
    "ALTER TABLE files ADD COLUMN version_id INTEGER REFERENCES versions(id) ON DELETE SET NULL;"
    "ALTER TABLE files ADD COLUMN disc_title INTEGER;"
    "ALTER TABLE files ADD COLUMN title_kind TEXT;"
    "CREATE INDEX files_version ON files(version_id);",
    /* 9 -> 10: background work (posters, keyframe indexes) that failed for
     * a file as it was then (cc_retry.c): not tried again until the file
     * changes or a week has passed. Goes with the file. */
    "CREATE TABLE retries ("
    "  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
    "  work TEXT NOT NULL,"                  /* poster | keyframes */
    "  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
    "  failed_at INTEGER NOT NULL, attempts INTEGER NOT NULL,"
    "  PRIMARY KEY (file_id, work)) WITHOUT ROWID;",
    /* 10 -> 11: favourite films per user (cc_favorite.c), for the Jellyfin
     * API's IsFavorite. User 0 is local mode's, as in watch. */
    "CREATE TABLE favorites ("
    "  user_id INTEGER NOT NULL,"
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  added_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, film_id)) WITHOUT ROWID;",
    /* 11 -> 12: shares, public links to a film, an extra or a clip
     * (cc_share.c). A share names its file and follows it as watch state
     * does: no foreign key (a rescan never deletes a share); a file that
     * leaves the catalog negates its shares' file id, and one that comes
     * back with the same size and fingerprint takes them again.
     * share_views: one row per viewer session counted. share_grants: the
     * users besides admins who may create shares. */
    "CREATE TABLE IF NOT EXISTS shares ("
    "  id INTEGER PRIMARY KEY,"
    "  token TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"                /* film | extra */
    "  file_id INTEGER NOT NULL,"          /* negative: the file left the catalog */
    "  fingerprint TEXT, size INTEGER,"    /* the file's, to find it again */
    "  clip_from INTEGER, clip_to INTEGER," /* milliseconds; NULL: the whole file */
    "  title TEXT, note TEXT,"
    "  opens_at INTEGER NOT NULL, closes_at INTEGER,"
    "  view_limit INTEGER, views INTEGER NOT NULL DEFAULT 0,"
    "  created_by INTEGER, created_at INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS shares_file ON shares(file_id);"
    "CREATE TABLE IF NOT EXISTS share_views ("
    "  share_id INTEGER NOT NULL REFERENCES shares(id) ON DELETE CASCADE,"
    "  viewer TEXT NOT NULL, at INTEGER NOT NULL,"
    "  PRIMARY KEY (share_id, viewer)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS share_grants ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE);"
    "CREATE TRIGGER IF NOT EXISTS shares_file_gone AFTER DELETE ON files BEGIN"
    "  UPDATE shares SET file_id = -old.id WHERE file_id = old.id;"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS shares_file_new AFTER INSERT ON files"
    "  WHEN new.fingerprint IS NOT NULL BEGIN"
    "  UPDATE shares SET file_id = new.id"
    "   WHERE file_id < 0 AND fingerprint = new.fingerprint AND size = new.size;"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS shares_file_print AFTER UPDATE OF fingerprint ON files"
    "  WHEN new.fingerprint IS NOT NULL AND new.fingerprint IS NOT old.fingerprint BEGIN"
    "  UPDATE shares SET file_id = new.id"
    "   WHERE file_id < 0 AND fingerprint = new.fingerprint AND size = new.size;"
    "END;",
    /* 12 -> 13: the shelf: how a librarian shelves films (cc_shelf.c). sort_key is the
     * title's key (article dropped for its language, accents folded,
     * numbers natural), computed in C at write time, since SQLite cannot
     * fold or drop articles; collections come from the .nfo's <set> or a
     * Collections/<Name>/ folder, and go when their last film does. */
    "CREATE TABLE collections ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  overview TEXT,"
    "  sort_key TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT 'nfo');"      /* nfo | folder: where it was first seen */
    "ALTER TABLE films ADD COLUMN sort_key TEXT;"
    "ALTER TABLE films ADD COLUMN collection_id INTEGER;"  /* no foreign key: triggers below keep it */
    "CREATE INDEX films_shelf ON films(sort_key, year, id);"
    "CREATE INDEX films_collection ON films(collection_id);"
    "CREATE TRIGGER collections_left_update AFTER UPDATE OF collection_id ON films"
    "  WHEN old.collection_id IS NOT NULL AND old.collection_id IS NOT new.collection_id BEGIN"
    "  DELETE FROM collections WHERE id = old.collection_id"
    "   AND NOT EXISTS (SELECT 1 FROM films WHERE collection_id = old.collection_id);"
    "END;"
    "CREATE TRIGGER collections_left_delete AFTER DELETE ON films"
    "  WHEN old.collection_id IS NOT NULL BEGIN"
    "  DELETE FROM collections WHERE id = old.collection_id"
    "   AND NOT EXISTS (SELECT 1 FROM films WHERE collection_id = old.collection_id);"
    "END;",
    /* 13 -> 14: each user's own preferences (cc_pref.c): the web app's TV
     * layout follows the account to another browser. User 0 is local
     * mode's (no foreign key); a removed user's go with them. */
    "CREATE TABLE IF NOT EXISTS user_prefs ("
    "  user_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  value TEXT NOT NULL,"                  /* JSON text of one preference */
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, name)) WITHOUT ROWID;"
    "CREATE TRIGGER IF NOT EXISTS user_prefs_gone AFTER DELETE ON users BEGIN"
    "  DELETE FROM user_prefs WHERE user_id = old.id;"
    "END;",
    /* 14 -> 15: the server's settings that outlive a restart (cc_setting.c),
     * first the admin's DLNA switch. */
    "CREATE TABLE IF NOT EXISTS settings ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);",
    /* 15 -> 16: an index for every sort the web app offers. A film's best
     * rating and its first date (cc_browse.c's rating and release sorts)
     * become stored columns kept by triggers, as sort_runtime is, so a
     * page of 100,000 films is read from an index; what is unknown sorts
     * last either way, hence (x IS NULL) first and an index per
     * direction. sort_shuffle is a random number per film, fixed at
     * insert: the random sort walks it from the seed on (a rotation of one
     * shuffle), through its index. Ratings get the index they lacked. */
    "CREATE INDEX IF NOT EXISTS ratings_film ON ratings(film_id);"
    "ALTER TABLE films ADD COLUMN sort_rating REAL;"
    "ALTER TABLE films ADD COLUMN sort_release TEXT;"
    "ALTER TABLE films ADD COLUMN sort_shuffle INTEGER NOT NULL DEFAULT 0;"
    "UPDATE films SET sort_rating = " FILM_RATING_SQL("films.id") ","
    "  sort_release = " FILM_RELEASE_SQL("films") ", sort_shuffle = random() & 4294967295;"
    "CREATE TRIGGER films_sort_insert AFTER INSERT ON films BEGIN"
    "  UPDATE films SET sort_release = " FILM_RELEASE_SQL("films") ","
    "    sort_shuffle = random() & 4294967295 WHERE id = new.id;"
    "  END;"
    "CREATE TRIGGER films_sort_dates AFTER UPDATE OF premiered, year ON films BEGIN"
    "  UPDATE films SET sort_release = " FILM_RELEASE_SQL("films") " WHERE id = new.id;"
    "  END;"
    "CREATE TRIGGER films_sort_releases_insert AFTER INSERT ON releases BEGIN"
    "  UPDATE films SET sort_release = " FILM_RELEASE_SQL("films") " WHERE id = new.film_id;"
    "  END;"
    "CREATE TRIGGER films_sort_releases_update AFTER UPDATE OF film_id, date ON releases BEGIN"
    "  UPDATE films SET sort_release = " FILM_RELEASE_SQL("films")
    "    WHERE id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER films_sort_releases_delete AFTER DELETE ON releases BEGIN"
    "  UPDATE films SET sort_release = " FILM_RELEASE_SQL("films") " WHERE id = old.film_id;"
    "  END;"
    "CREATE TRIGGER films_sort_ratings_insert AFTER INSERT ON ratings BEGIN"
    "  UPDATE films SET sort_rating = " FILM_RATING_SQL("films.id") " WHERE id = new.film_id;"
    "  END;"
    "CREATE TRIGGER films_sort_ratings_update AFTER UPDATE ON ratings BEGIN"
    "  UPDATE films SET sort_rating = " FILM_RATING_SQL("films.id")
    "    WHERE id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER films_sort_ratings_delete AFTER DELETE ON ratings BEGIN"
    "  UPDATE films SET sort_rating = " FILM_RATING_SQL("films.id") " WHERE id = old.film_id;"
    "  END;"
    "CREATE INDEX films_sort_rating_asc ON films("
    "  sort_rating IS NULL, sort_rating, sort_key, year, id);"
    "CREATE INDEX films_sort_rating_desc ON films("
    "  sort_rating IS NULL, sort_rating DESC, sort_key DESC, year DESC, id DESC);"
    "CREATE INDEX films_sort_release_asc ON films("
    "  sort_release IS NULL, sort_release, sort_key, year, id);"
    "CREATE INDEX films_sort_release_desc ON films("
    "  sort_release IS NULL, sort_release DESC, sort_key DESC, year DESC, id DESC);"
    "CREATE INDEX films_sort_shuffle ON films(sort_shuffle, id);",
    /* 16 -> 17: the catalog's update stamp (cc_facet_update_stamp, every
     * DLNA reply's UpdateID) asks for the newest films.updated_at and
     * files.probed_at: without an index each was a read of the whole
     * table, 3.4 MB of pages into each worker's cache on 10,000 films. */
    "CREATE INDEX IF NOT EXISTS films_updated ON films(updated_at);"
    "CREATE INDEX IF NOT EXISTS files_probed ON files(probed_at);",
    /* 17 -> 18: the films list reads a row per film (cc_browse.c). What a
     * list item shows beyond the films table (genres, first director,
     * poster, tallest main picture, HDR) was five subqueries per film on
     * every page, two thirds of a page's catalog time; it is kept here by
     * triggers instead, as the sort columns are. A film's row comes with
     * it and goes with it (the foreign key). */
    "CREATE TABLE film_list_rows ("
    "  film_id INTEGER PRIMARY KEY REFERENCES films(id) ON DELETE CASCADE,"
    "  genres TEXT, director TEXT,"
    "  has_poster INTEGER NOT NULL DEFAULT 0,"
    "  height INTEGER NOT NULL DEFAULT 0, hdr INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO film_list_rows (film_id, genres, director, has_poster, height, hdr)"
    "  SELECT f.id, " LIST_GENRES_SQL("f.id") ", " LIST_DIRECTOR_SQL("f.id") ","
    "  " LIST_POSTER_SQL("f.id") ", " LIST_HEIGHT_SQL("f.id") ", " LIST_HDR_SQL("f.id")
    "  FROM films f;"
    "CREATE TRIGGER film_list_films_insert AFTER INSERT ON films BEGIN"
    "  INSERT OR REPLACE INTO film_list_rows (film_id, genres, director, has_poster, height, hdr)"
    "  VALUES (new.id, " LIST_GENRES_SQL("new.id") ", " LIST_DIRECTOR_SQL("new.id") ","
    "  " LIST_POSTER_SQL("new.id") ", " LIST_HEIGHT_SQL("new.id") ", " LIST_HDR_SQL("new.id") ");"
    "  END;"
    "CREATE TRIGGER film_list_genres_insert AFTER INSERT ON film_terms"
    "  WHEN new.kind = 'genre' BEGIN"
    "  UPDATE film_list_rows SET genres = " LIST_GENRES_SQL("new.film_id")
    "    WHERE film_id = new.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_genres_delete AFTER DELETE ON film_terms"
    "  WHEN old.kind = 'genre' BEGIN"
    "  UPDATE film_list_rows SET genres = " LIST_GENRES_SQL("old.film_id")
    "    WHERE film_id = old.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_genres_update AFTER UPDATE ON film_terms BEGIN"
    "  UPDATE film_list_rows SET genres = " LIST_GENRES_SQL("film_list_rows.film_id")
    "    WHERE film_id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER film_list_poster_insert AFTER INSERT ON artwork"
    "  WHEN new.kind = 'poster' BEGIN"
    "  UPDATE film_list_rows SET has_poster = 1 WHERE film_id = new.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_poster_delete AFTER DELETE ON artwork"
    "  WHEN old.kind = 'poster' BEGIN"
    "  UPDATE film_list_rows SET has_poster = " LIST_POSTER_SQL("old.film_id")
    "    WHERE film_id = old.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_poster_update AFTER UPDATE ON artwork BEGIN"
    "  UPDATE film_list_rows SET has_poster = " LIST_POSTER_SQL("film_list_rows.film_id")
    "    WHERE film_id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER film_list_director_insert AFTER INSERT ON credits"
    "  WHEN new.job = 'director' BEGIN"
    "  UPDATE film_list_rows SET director = " LIST_DIRECTOR_SQL("new.film_id")
    "    WHERE film_id = new.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_director_delete AFTER DELETE ON credits"
    "  WHEN old.job = 'director' BEGIN"
    "  UPDATE film_list_rows SET director = " LIST_DIRECTOR_SQL("old.film_id")
    "    WHERE film_id = old.film_id;"
    "  END;"
    "CREATE TRIGGER film_list_director_update AFTER UPDATE ON credits"
    "  WHEN old.job = 'director' OR new.job = 'director' BEGIN"
    "  UPDATE film_list_rows SET director = " LIST_DIRECTOR_SQL("film_list_rows.film_id")
    "    WHERE film_id IN (old.film_id, new.film_id);"
    "  END;"
    "CREATE TRIGGER film_list_director_name AFTER UPDATE OF name ON people BEGIN"
    "  UPDATE film_list_rows SET director = " LIST_DIRECTOR_SQL("film_list_rows.film_id")
    "    WHERE film_id IN (SELECT film_id FROM credits WHERE person_id = new.id"
    "    AND job = 'director');"
    "  END;"
    "CREATE TRIGGER film_list_files_insert AFTER INSERT ON files"
    "  WHEN new.film_id IS NOT NULL BEGIN"
    "  " LIST_PICTURE_UPDATE("new.film_id")
    "  END;"
    "CREATE TRIGGER film_list_files_update AFTER UPDATE OF film_id, role ON files BEGIN"
    "  " LIST_PICTURE_UPDATE("old.film_id, new.film_id")
    "  END;"
    "CREATE TRIGGER film_list_files_delete AFTER DELETE ON files"
    "  WHEN old.film_id IS NOT NULL BEGIN"
    "  " LIST_PICTURE_UPDATE("old.film_id")
    "  END;"
    "CREATE TRIGGER film_list_streams_insert AFTER INSERT ON streams"
    "  WHEN new.type = 'video' BEGIN"
    "  " LIST_PICTURE_UPDATE("SELECT film_id FROM files WHERE id = new.file_id")
    "  END;"
    "CREATE TRIGGER film_list_streams_delete AFTER DELETE ON streams"
    "  WHEN old.type = 'video' BEGIN"
    "  " LIST_PICTURE_UPDATE("SELECT film_id FROM files WHERE id = old.file_id")
    "  END;"
    "CREATE TRIGGER film_list_streams_update AFTER UPDATE ON streams"
    "  WHEN old.type = 'video' OR new.type = 'video' BEGIN"
    "  " LIST_PICTURE_UPDATE("SELECT film_id FROM files WHERE id IN (old.file_id, new.file_id)")
    "  END;"
    /* The year, rating and release sorts read the known, then the unknown
     * by title, each part one walk of one of these, either way; a cursor
     * seeks into them (schema 16's "x IS NULL" indexes could not be
     * sought past a key without a sort, by SQLite 3.40's planner). */
    "CREATE INDEX films_list_year ON films("
    "  year, coalesce(sort_title, title) COLLATE NOCASE, id);"
    "CREATE INDEX films_list_rating ON films(sort_rating, sort_key, year, id);"
    "CREATE INDEX films_list_release ON films(sort_release, sort_key, year, id);",
    /* 18 -> 19: the played and plays sorts walk an index of each user's
     * films by last play and by play count, instead of grouping and
     * sorting every watch row of the user's for each page (cc_browse.c).
     * A watch row moves its film's row; a file moved to another film, or
     * gone (its watch rows are kept, unattached), moves both films'. */
    "CREATE TABLE film_plays ("
    "  user_id INTEGER NOT NULL,"
    "  film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,"
    "  last_played INTEGER,"
    "  play_count INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, film_id)) WITHOUT ROWID;"
    "CREATE INDEX film_plays_played ON film_plays(user_id, last_played)"
    "  WHERE last_played IS NOT NULL;"
    "CREATE INDEX film_plays_count ON film_plays(user_id, play_count) WHERE play_count > 0;"
    "CREATE INDEX film_plays_film ON film_plays(film_id);"
    "INSERT INTO film_plays (user_id, film_id, last_played, play_count)"
    " SELECT w.user_id, x.film_id, max(w.last_played), max(w.play_count)"
    " FROM watch w JOIN files x ON x.id = w.file_id WHERE x.film_id IS NOT NULL"
    " GROUP BY w.user_id, x.film_id"
    " HAVING max(w.last_played) IS NOT NULL OR max(w.play_count) > 0;"
    "CREATE TRIGGER film_plays_watch_insert AFTER INSERT ON watch BEGIN"
    "  " PLAYS_REDO("new.user_id", "SELECT film_id FROM files WHERE id = new.file_id")
    "  END;"
    "CREATE TRIGGER film_plays_watch_update AFTER UPDATE OF user_id, file_id, last_played,"
    "  play_count ON watch BEGIN"
    "  " PLAYS_REDO("old.user_id, new.user_id",
                    "SELECT film_id FROM files WHERE id IN (old.file_id, new.file_id)")
    "  END;"
    "CREATE TRIGGER film_plays_watch_delete AFTER DELETE ON watch BEGIN"
    "  " PLAYS_REDO("old.user_id", "SELECT film_id FROM files WHERE id = old.file_id")
    "  END;"
    "CREATE TRIGGER film_plays_files_update AFTER UPDATE OF film_id ON files"
    "  WHEN new.film_id IS NOT old.film_id BEGIN"
    "  " PLAYS_REDO("SELECT user_id FROM watch WHERE file_id = new.id", "old.film_id, new.film_id")
    "  END;"
    /* A file's watch rows stay when it goes (watch_file_gone marks them
     * -id); they count for its film no more. */
    "CREATE TRIGGER film_plays_files_delete AFTER DELETE ON files"
    "  WHEN old.film_id IS NOT NULL BEGIN"
    "  " PLAYS_REDO("SELECT user_id FROM watch WHERE file_id IN (old.id, -old.id)", "old.film_id")
    "  END;",
    /* 19 -> 20: a number that moves whenever what a restricted user may
     * see can move (a film's certification, a film or a main or extra
     * file come or gone, a file moved to another film or root), so the
     * server keeps each user's visible films until it does
     * (cc_scope_cache.c) instead of reading them on every request. The
     * user's own limits are not in it: the cache is keyed by them. */
    "CREATE TABLE scope_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);"
    "INSERT INTO scope_stamp (id, n) VALUES (1, 1);"
    "CREATE TRIGGER scope_films_insert AFTER INSERT ON films BEGIN " SCOPE_BUMP " END;"
    "CREATE TRIGGER scope_films_delete AFTER DELETE ON films BEGIN " SCOPE_BUMP " END;"
    "CREATE TRIGGER scope_films_mpaa AFTER UPDATE OF id, mpaa ON films"
    "  WHEN new.mpaa IS NOT old.mpaa OR new.id IS NOT old.id BEGIN " SCOPE_BUMP " END;"
    "CREATE TRIGGER scope_files_insert AFTER INSERT ON files"
    "  WHEN new.film_id IS NOT NULL BEGIN " SCOPE_BUMP " END;"
    "CREATE TRIGGER scope_files_delete AFTER DELETE ON files"
    "  WHEN old.film_id IS NOT NULL BEGIN " SCOPE_BUMP " END;"
    "CREATE TRIGGER scope_files_update AFTER UPDATE OF film_id, root ON files"
    "  WHEN new.film_id IS NOT old.film_id OR new.root IS NOT old.root BEGIN " SCOPE_BUMP " END;",
};

/* Work a migration needs beyond SQL (NULL: none), run after migrations[i]
 * in the same transaction. */
static int (*const migration_steps[])(cc_db *db, cu_err *err) = {
    NULL,
    NULL,
    NULL,
    cc_search_index_rebuild,
    NULL,
    NULL,
    NULL,
    NULL,
    cc_edition_migrate,
    NULL,
    NULL,
    NULL,
    cc_shelf_rebuild,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
};
_Static_assert(sizeof migrations / sizeof *migrations == CC_SCHEMA_VERSION &&
                   sizeof migration_steps / sizeof *migration_steps == CC_SCHEMA_VERSION,
               "one migration per schema version");
/* clang-format on */

int cc_prepare(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err)
{
    if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
        return cc_fail(db, err, "prepare");
    return 0;
}

int cc_prepare_cached(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err)
{
    struct cc_cached *oldest = &db->cached[0];
    for (size_t i = 0; i < CC_CACHED_MAX; i++) {
        struct cc_cached *c = &db->cached[i];
        if (c->stmt && !strcmp(c->sql, sql)) {
            c->used = ++db->cached_clock;
            *stmt = c->stmt;
            sqlite3_reset(*stmt);
            sqlite3_clear_bindings(*stmt);
            return 0;
        }
        if (!c->stmt || (oldest->stmt && c->used < oldest->used))
            oldest = c;
    }
    if (cc_prepare(db, sql, stmt, err) < 0)
        return CU_EDB;
    sqlite3_finalize(oldest->stmt);
    free(oldest->sql);
    *oldest = (struct cc_cached){.sql = cu_xstrdup(sql), .stmt = *stmt, .used = ++db->cached_clock};
    return 0;
}

int cc_prepare_kept(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err)
{
    for (size_t i = 0; i < db->kept_count; i++) {
        if (db->kept[i].sql == sql) {
            *stmt = db->kept[i].stmt;
            sqlite3_reset(*stmt);
            sqlite3_clear_bindings(*stmt);
            return 0;
        }
    }
    if (cc_prepare(db, sql, stmt, err) < 0)
        return CU_EDB;
    /* Bounded by the call sites that pass a constant: a few dozen. */
    db->kept = cu_xreallocarray(db->kept, db->kept_count + 1, sizeof *db->kept);
    db->kept[db->kept_count++] = (struct cc_kept){.sql = sql, .stmt = *stmt};
    return 0;
}

/* The operating system's reason behind an I/O failure ("No space left on
 * device"), or "" when SQLite's own message says it all. */
static const char *os_reason(sqlite3 *sql)
{
    int primary = sqlite3_errcode(sql) & 0xff; /* extended codes are on */
    int os = sqlite3_system_errno(sql);
    if (os > 0 && (primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                   primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY))
        return strerror(os);
    return "";
}

int cc_fail(cc_db *db, cu_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(db->sql);
    const char *os = os_reason(db->sql);
    return cu_err_set(err, CU_EDB, "%s: %s (%s%s%s)", what, sqlite3_errmsg(db->sql),
                      sqlite3_errstr(code), *os ? ": " : "", os);
}

int cc_exec(cc_db *db, const char *sql, cu_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        const char *os = os_reason(db->sql);
        cu_err_set(err, CU_EDB, "%s%s%s", msg ? msg : sqlite3_errmsg(db->sql), *os ? ": " : "", os);
        sqlite3_free(msg);
        return CU_EDB;
    }
    return 0;
}

int cc_step_done(cc_db *db, sqlite3_stmt *st, cu_err *err, const char *what)
{
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, what);
}

int cc_exec_id(cc_db *db, const char *sql, int64_t id, cu_err *err, const char *what)
{
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, what);
}

int cc_step_ids(cc_db *db, sqlite3_stmt *st, int64_t **ids, size_t *count, cu_err *err,
                const char *what)
{
    size_t cap = 0;
    *ids = NULL;
    *count = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = cu_xreallocarray(*ids, cap, sizeof **ids);
        }
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *count = 0;
        return cc_fail(db, err, what);
    }
    return 0;
}

void cc_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(stmt, index, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

char *cc_column_strdup(sqlite3_stmt *stmt, int i)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    return t ? cu_xstrdup((const char *)t) : NULL;
}

void cc_column_copy(sqlite3_stmt *stmt, int i, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    cu_strlcpy(dst, t ? (const char *)t : "", size);
}

char *cc_column_adup(cu_arena *arena, sqlite3_stmt *stmt, int i)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    return t ? cu_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(stmt, i))
             : NULL;
}

static int user_version(cc_db *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Marks a catalog as ours in the SQLite header (PRAGMA application_id),
 * so a file of another program is never taken for one: "Cine". */
#define CC_APPLICATION_ID 0x43696e65

/* One integer from a statement returning one row; -1 when it fails. */
static int query_int(cc_db *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* Whether the file is ours before anything is written to it: marked as
 * ours; or empty (a new catalog); or a catalog from before the mark
 * (a schema version and our tables: adopted, *unmarked set). Anything
 * else belongs to another program and is refused untouched. */
static int check_identity(cc_db *db, bool *unmarked, cu_err *err)
{
    int app = 0, version = 0, objects = 0, ours = 0;
    *unmarked = false;
    if (query_int(db, "PRAGMA application_id", &app) < 0 ||
        query_int(db, "PRAGMA user_version", &version) < 0 ||
        query_int(db, "SELECT count(*) FROM sqlite_master", &objects) < 0 ||
        query_int(db,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                  " ('films', 'files', 'streams', 'artwork', 'scan_errors')",
                  &ours) < 0) {
        int code = sqlite3_errcode(db->sql) & 0xff;
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            return cu_err_set(err, CU_EDB, "catalog %s is damaged or not a catalog: %s", db->path,
                              sqlite3_errmsg(db->sql));
        /* Not the file's fault (a full disk, a lock): say what it was. */
        char what[600];
        snprintf(what, sizeof what, "cannot read catalog %s", db->path);
        return cc_fail(db, err, what);
    }
    if (app == CC_APPLICATION_ID)
        return 0;
    if (app != 0)
        return cu_err_set(err, CU_EINVAL,
                          "%s is not a cinemateca catalog (it belongs to another program: "
                          "SQLite application_id 0x%08x); it was left untouched, give --db a new "
                          "file",
                          db->path, (unsigned)app);
    if (objects == 0 && version == 0) {
        *unmarked = true; /* empty: a new catalog */
        return 0;
    }
    if (version > 0 && ours == 5) {
        *unmarked = true; /* a catalog made before the mark */
        return 0;
    }
    return cu_err_set(err, CU_EINVAL,
                      "%s is not a cinemateca catalog (an SQLite database of another program: "
                      "%d table(s) and indexes, none of ours); it was left untouched, give --db a "
                      "new file",
                      db->path, objects);
}

static int migrate(cc_db *db, cu_err *err)
{
    int version = user_version(db);
    if (version < 0)
        return cc_fail(db, err, "reading schema version");
    if (version > CC_SCHEMA_VERSION)
        return cu_err_set(err, CU_EINVAL,
                          "database schema version %d is newer than this cinemateca (%d)", version,
                          CC_SCHEMA_VERSION);
    while (version < CC_SCHEMA_VERSION) {
        /* Each step and its version bump commit together or not at all. */
        if (cc_exec(db, "BEGIN IMMEDIATE", err) < 0)
            return CU_EDB;
        char set_version[64];
        snprintf(set_version, sizeof set_version, "PRAGMA user_version = %d", version + 1);
        if (cc_exec(db, migrations[version], err) < 0 ||
            (migration_steps[version] && migration_steps[version](db, err) < 0) ||
            cc_exec(db, set_version, err) < 0 || cc_exec(db, "COMMIT", err) < 0) {
            cc_exec(db, "ROLLBACK", NULL);
            return CU_EDB;
        }
        version++;
    }
    return 0;
}

/* SQLite counts every allocation under a global mutex unless told not
 * to; nothing here reads those counts. */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int cc_db_open(const char *path, cc_open_mode mode, cc_db **out, cu_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    *out = NULL;
    cc_db *db = cu_xcalloc(1, sizeof *db);
    db->path = cu_xstrdup(path);
    db->lock_fd = -1;
    db->readonly = mode == CC_OPEN_READONLY;
    int flags = SQLITE_OPEN_NOMUTEX |
                (db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (db->readonly && access(path, F_OK) != 0) {
        cu_err_set(err, -ENOENT, "catalog %s does not exist (run `cinemateca scan` first)", path);
        goto fail;
    }
    if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
        cu_err_set(err, CU_EDB, "cannot open catalog %s: %s", path,
                   db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
        goto fail;
    }
    /* Held while open: `cinemateca restore` refuses a catalog in use. */
    if (strcmp(path, ":memory:") && *path && cc_backup_lock_shared(path, &db->lock_fd, err) < 0)
        goto fail;
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, CC_BUSY_TIMEOUT_MS);
    /* Whose file this is, before anything else reads it: a file that is
     * not a catalog of ours is named so, not reported by a later PRAGMA. */
    bool unmarked = false;
    if (check_identity(db, &unmarked, err) < 0)
        goto fail;
    /* No memory map: a map of the whole catalog per connection counted
     * the file once per worker thread in the server's RSS (480-890 MB for
     * a 294 MB catalog). Pages are read into each connection's own cache
     * (CC_DB_CACHE_KIB, private memory) and the kernel's page cache, which
     * is shared and not charged to the process. */
    char cache[64];
    snprintf(cache, sizeof cache, "PRAGMA cache_size = -%d", CC_DB_CACHE_KIB);
    if (cc_exec(db, "PRAGMA foreign_keys = ON", err) < 0 ||
        cc_exec(db, "PRAGMA mmap_size = 0", err) < 0 || cc_exec(db, cache, err) < 0 ||
        cc_search_query_register(db, err) < 0 || cc_ids_register(db, err) < 0)
        goto fail;
    if (!db->readonly) {
        /* WAL: readers never block on the writer. NORMAL sync is durable
         * across application crashes, and consistent across power loss. */
        if (cc_exec(db, "PRAGMA journal_mode = WAL", err) < 0 ||
            cc_exec(db, "PRAGMA synchronous = NORMAL", err) < 0) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
            cu_err_set(err, CU_EDB, "cannot write catalog %s: %s", path, msg);
            goto fail;
        }
        if (migrate(db, err) < 0)
            goto fail;
        if (unmarked) {
            char mark[64];
            snprintf(mark, sizeof mark, "PRAGMA application_id = %d", CC_APPLICATION_ID);
            if (cc_exec(db, mark, err) < 0)
                goto fail;
        }
    } else if (user_version(db) == 0) {
        cu_err_set(err, CU_EINVAL, "catalog %s is empty (run `cinemateca scan` first)", path);
        goto fail;
    } else if (user_version(db) != CC_SCHEMA_VERSION) {
        cu_err_set(err, CU_EINVAL,
                   "catalog %s has schema version %d; open it read-write to upgrade", path,
                   user_version(db));
        goto fail;
    }
    *out = db;
    return 0;
fail:
    cc_db_close(db);
    return err && err->code ? err->code : CU_EDB;
}

int cc_data_version(cc_db *db, int64_t *out, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    if (cc_prepare_kept(db, "PRAGMA data_version", &st, err) < 0)
        return CU_EDB;
    int step = sqlite3_step(st);
    *out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "data version");
}

/* Runs one of the read transaction's statements, kept prepared (parsing
 * BEGIN and COMMIT again was a twentieth of a films page, measured). */
static bool run_kept(cc_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (cc_prepare_kept(db, sql, &st, NULL) < 0)
        return sqlite3_exec(db->sql, sql, NULL, NULL, NULL) == SQLITE_OK;
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    return ok;
}

void cc_db_read_begin(cc_db *db)
{
    if (!db || db->read_txn || !sqlite3_get_autocommit(db->sql))
        return;
    db->read_txn = run_kept(db, "BEGIN");
}

void cc_db_read_end(cc_db *db)
{
    if (!db || !db->read_txn)
        return;
    db->read_txn = false;
    if (!sqlite3_get_autocommit(db->sql) && !run_kept(db, "COMMIT"))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

void cc_db_close(cc_db *db)
{
    if (!db)
        return;
    sqlite3_finalize(db->locate);
    sqlite3_finalize(db->session_lookup);
    sqlite3_finalize(db->user_check);
    for (size_t i = 0; i < db->kept_count; i++)
        sqlite3_finalize(db->kept[i].stmt);
    free(db->kept);
    for (size_t i = 0; i < CC_CACHED_MAX; i++) {
        sqlite3_finalize(db->cached[i].stmt);
        free(db->cached[i].sql);
    }
    cc_memo_clear(db);
    if (db->sql)
        sqlite3_close_v2(db->sql);
    if (db->lock_fd >= 0)
        close(db->lock_fd);
    free(db->path);
    free(db);
}

const char *cc_db_path(const cc_db *db)
{
    return db->path;
}

int cc_db_schema_version(cc_db *db)
{
    return user_version(db);
}

void cc_db_warm(cc_db *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) ==
        SQLITE_OK)
        sqlite3_step(st);
    sqlite3_finalize(st);
}

int cc_db_check(cc_db *db, cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return cc_fail(db, err, "integrity_check");
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            rc = cu_err_set(err, CU_EDB, "integrity check: %s", r ? r : "(null)");
    } else {
        rc = cc_fail(db, err, "integrity_check");
    }
    sqlite3_finalize(st);
    return rc;
}
