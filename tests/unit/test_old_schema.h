/* test_old_schema.h: SQL the tests that rebuild an old catalog share, to
 * take a newer migration's objects away again. */
#ifndef TEST_OLD_SCHEMA_H
#define TEST_OLD_SCHEMA_H

/* Migration 20: the visibility stamp and its triggers. */
#define TEST_DROP_SCOPE_STAMP                                                                      \
    " DROP TRIGGER scope_films_insert; DROP TRIGGER scope_films_delete;"                           \
    " DROP TRIGGER scope_films_mpaa; DROP TRIGGER scope_files_insert;"                             \
    " DROP TRIGGER scope_files_delete; DROP TRIGGER scope_files_update; DROP TABLE scope_stamp;"

/* Migration 19: each user's played films and their triggers. */
#define TEST_DROP_FILM_PLAYS                                                                       \
    " DROP TRIGGER film_plays_watch_insert; DROP TRIGGER film_plays_watch_update;"                 \
    " DROP TRIGGER film_plays_watch_delete; DROP TRIGGER film_plays_files_update;"                 \
    " DROP TRIGGER film_plays_files_delete; DROP TABLE film_plays;"

/* Migration 18: the films list's rows, their triggers and indexes. */
#define TEST_DROP_FILM_LIST_ROWS                                                                   \
    " DROP TRIGGER film_list_films_insert;"                                                        \
    " DROP TRIGGER film_list_genres_insert;"                                                       \
    " DROP TRIGGER film_list_genres_delete;"                                                       \
    " DROP TRIGGER film_list_genres_update;"                                                       \
    " DROP TRIGGER film_list_poster_insert;"                                                       \
    " DROP TRIGGER film_list_poster_delete;"                                                       \
    " DROP TRIGGER film_list_poster_update;"                                                       \
    " DROP TRIGGER film_list_director_insert;"                                                     \
    " DROP TRIGGER film_list_director_delete;"                                                     \
    " DROP TRIGGER film_list_director_update;"                                                     \
    " DROP TRIGGER film_list_director_name;"                                                       \
    " DROP TRIGGER film_list_files_insert;"                                                        \
    " DROP TRIGGER film_list_files_update;"                                                        \
    " DROP TRIGGER film_list_files_delete;"                                                        \
    " DROP TRIGGER film_list_streams_insert;"                                                      \
    " DROP TRIGGER film_list_streams_delete;"                                                      \
    " DROP TRIGGER film_list_streams_update;"                                                      \
    " DROP TABLE film_list_rows; DROP INDEX films_list_year;"                                      \
    " DROP INDEX films_list_rating; DROP INDEX films_list_release;"

/* Migration 16: the sort columns kept on films, their triggers and indexes. */
#define TEST_DROP_SORT_COLUMNS                                                                     \
    " DROP TRIGGER films_sort_insert;"                                                             \
    " DROP TRIGGER films_sort_dates;"                                                              \
    " DROP TRIGGER films_sort_releases_insert;"                                                    \
    " DROP TRIGGER films_sort_releases_update;"                                                    \
    " DROP TRIGGER films_sort_releases_delete;"                                                    \
    " DROP TRIGGER films_sort_ratings_insert;"                                                     \
    " DROP TRIGGER films_sort_ratings_update;"                                                     \
    " DROP TRIGGER films_sort_ratings_delete;"                                                     \
    " DROP INDEX films_sort_rating_asc;"                                                           \
    " DROP INDEX films_sort_rating_desc;"                                                          \
    " DROP INDEX films_sort_release_asc;"                                                          \
    " DROP INDEX films_sort_release_desc;"                                                         \
    " DROP INDEX films_sort_shuffle; DROP INDEX ratings_film;"                                     \
    " ALTER TABLE films DROP COLUMN sort_rating;"                                                  \
    " ALTER TABLE films DROP COLUMN sort_release;"                                                 \
    " ALTER TABLE films DROP COLUMN sort_shuffle;"

/* From 8 -> 9's last column (a disc title's kind) to 16 -> 17: retries,
 * shares, the shelf, preferences, settings and the
 * update stamp's indexes. */
#define TEST_DROP_RETRIES_TO_STAMP                                                                 \
    " ALTER TABLE files DROP COLUMN title_kind;"                                                   \
    " DROP TABLE retries;"                                                                         \
    " DROP TRIGGER shares_file_gone; DROP TRIGGER shares_file_new;"                                \
    " DROP TRIGGER shares_file_print; DROP TABLE share_views;"                                     \
    " DROP TABLE share_grants; DROP TABLE shares;"                                                 \
    " DROP TRIGGER collections_left_update;"                                                       \
    " DROP TRIGGER collections_left_delete;"                                                       \
    " DROP INDEX films_shelf; DROP INDEX films_collection;"                                        \
    " ALTER TABLE films DROP COLUMN sort_key;"                                                     \
    " ALTER TABLE films DROP COLUMN collection_id;"                                                \
    " DROP TABLE collections;"                                                                     \
    " DROP TRIGGER user_prefs_gone; DROP TABLE user_prefs;"                                        \
    " DROP TABLE settings;"                                                                        \
    " DROP INDEX films_updated; DROP INDEX files_probed;"

#endif
