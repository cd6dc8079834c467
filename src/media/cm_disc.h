/* cm_disc: what is on a Blu-ray (BDMV folder or image) or DVD (VIDEO_TS
 * folder or image): its name, its titles with durations, chapters and
 * tracks, which title is the film and which are special features.
 * Reads only the disc's index files (index.bdmv, *.mpls, *.clpi, META/DL;
 * VIDEO_TS.IFO and VTS_*.IFO), never its streams, except up to 16 sectors
 * (32 KiB) of a DVD title set's first VOB to tell CSS scrambling apart.
 * Encrypted discs (AACS, BD+, CSS) are recognised and refused: cinemateca
 * has no decryption code and loads no decryption library. */
#ifndef CM_DISC_H
#define CM_DISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

struct cm_media_info;

/* Bounds on hostile discs: a real Blu-ray has a few hundred playlists at
 * most (obfuscated ones up to ~2,000), a DVD at most 99 titles. */
#define CM_DISC_MAX_TITLES 4096
#define CM_DISC_MAX_CHAPTERS 256
#define CM_DISC_MAX_TRACKS 32
#define CM_DISC_MAX_SEGMENTS 512
/* Titles shorter than this are menus, logos and warnings: skipped. */
#define CM_DISC_MIN_EXTRA_SECONDS 30.0

/* Returned (with a message saying so) when the disc is encrypted. */
#define CM_DISC_EENCRYPTED (-1100)
#define CM_DISC_ENCRYPTED_MESSAGE "this disc is encrypted: cinemateca plays only unencrypted discs"

typedef enum {
    CM_DISC_NONE = 0,
    CM_DISC_BLURAY,
    CM_DISC_DVD,
} cm_disc_kind;

typedef enum {
    CM_DISC_TITLE_MAIN,      /* the film */
    CM_DISC_TITLE_EXTRA,     /* a special feature (>= CM_DISC_MIN_EXTRA_SECONDS) */
    CM_DISC_TITLE_TINY,      /* shorter than the minimum: a menu, a logo */
    CM_DISC_TITLE_DUPLICATE, /* the same segments as an earlier title */
    CM_DISC_TITLE_LOOP,      /* plays one segment more than once (loops, obfuscation) */
    CM_DISC_TITLE_PART,      /* only segments of the main title (a chapter played alone) */
} cm_disc_title_role;

typedef struct cm_disc_track {
    char language[4]; /* ISO 639-2 ("eng") or 639-1 ("en") as the disc says; "" when none */
    char codec[16];   /* "ac3", "dts", "lpcm", "mp2", "pgs", "vobsub", ... */
    int channels;     /* audio only; 0 when unknown */
} cm_disc_track;

/* One played piece of a title: the clip (Blu-ray clip number, or DVD title
 * set and cell) in the top 24 bits, what of it is played (in and out
 * times, first sector) folded into the low 40. */
#define CM_DISC_SEGMENT(clip, detail)                                                              \
    ((((uint64_t)(clip)&0xFFFFFFu) << 40) | ((uint64_t)(detail)&0xFFFFFFFFFFull))
#define CM_DISC_SEGMENT_CLIP(segment) ((uint32_t)((segment) >> 40))

typedef struct cm_disc_title {
    /* The disc's own number: the playlist (00800.mpls is 800) or the DVD
     * title (1..99). Playing the title later uses this number. */
    int number;
    double duration; /* seconds */
    size_t chapter_count;
    double chapters[CM_DISC_MAX_CHAPTERS]; /* chapter starts, seconds from the title's start */
    /* The video, as the disc's index says ("h264", "mpeg2video", "vc1",
     * "hevc"; "" when unknown), for the player's decisions: the title's
     * stream is not read to learn it. */
    char video_codec[16];
    int width, height;
    double frame_rate;
    size_t audio_count;
    cm_disc_track audio[CM_DISC_MAX_TRACKS];
    size_t subtitle_count;
    cm_disc_track subtitles[CM_DISC_MAX_TRACKS];
    /* What the title plays, in order: clip numbers with their in/out times
     * (Blu-ray) or title set and cell sectors (DVD), each folded to one
     * value. Two titles with the same sequence play the same thing. */
    size_t segment_count;
    uint64_t segments[CM_DISC_MAX_SEGMENTS]; /* CM_DISC_SEGMENT values */
    bool segments_cut;                       /* more than CM_DISC_MAX_SEGMENTS: counts as a loop */
    cm_disc_title_role role;
} cm_disc_title;

typedef struct cm_disc {
    cm_disc_kind kind;
    char name[256];     /* the disc's title (META/DL or volume name), "" when none; UTF-8 */
    size_t title_count; /* every title read, in the disc's order */
    cm_disc_title *titles;
    size_t main_title;  /* index into titles; valid when title_count > 0 */
    int64_t bytes_read; /* bytes read from the disc's files (index files only) */
    /* Damage found that did not stop reading (a playlist that does not
     * parse, a clip whose info claims more than its stream holds), one
     * per line; "" when none. The scanner records it as a problem. */
    char warnings[1024];
} cm_disc;

/* What path is, cheaply: a folder holding BDMV/index.bdmv is
 * CM_DISC_BLURAY, a folder holding VIDEO_TS/VIDEO_TS.IFO is CM_DISC_DVD
 * (names compared exactly, as on a disc); a regular file whose name ends in
 * .iso is asked of libbluray and then libdvdread (their UDF readers read a
 * few directory sectors). Anything else: CM_DISC_NONE. */
cm_disc_kind cm_disc_detect(const char *path);

/* Reads the disc at path (a folder or an image) and chooses its main title
 * (cm_disc_choose_main). Bounded in time and memory; never reads streams.
 * Errors: CM_DISC_EENCRYPTED (AACS, BD+ or CSS, message
 * CM_DISC_ENCRYPTED_MESSAGE), -ENOENT, CU_EMEDIA for a disc that cannot be
 * read ("no playable title", "damaged playlist"), CU_ELIMIT. *out is NULL
 * on failure. */
int cm_disc_open(const char *path, cm_disc **out, cu_err *err);
void cm_disc_free(cm_disc *disc);

/* Gives every title its role and returns the main title's index (0 when
 * count is 0). The rules, in order:
 *  1. a title that plays one segment twice (or has too many to tell) loops;
 *  2. a title with the same segment sequence as an earlier one duplicates it;
 *  3. the main title is the longest title that neither loops nor duplicates
 *     (ties: the lower disc number); when every title loops or duplicates,
 *     the longest of all;
 *  4. of the rest, a title no longer than CM_DISC_MIN_EXTRA_SECONDS is tiny,
 *     one whose segments all belong to the main title is a part of it, and
 *     the others are special features.
 * Pure: reads nothing but the array. */
size_t cm_disc_choose_main(cm_disc_title *titles, size_t count);

/* Makes title `number` (the disc's own number) the main title, as an
 * .nfo's <disctitle> says (the rules' choice is not always the film:
 * some discs hide it among look-alike playlists); the other roles follow
 * rule 4 against it. CU_ENOTFOUND when the disc has no such title. */
int cm_disc_set_main(cm_disc *disc, int number);

/* Reads a disc library file (BDMV/META/DL/bdmt_*.xml) for the disc's name:
 * the text of <di:name> inside <di:title>. XML parsed without entities,
 * DTDs or network; at most 64 KiB. Returns 0 and the name (UTF-8, control
 * characters as spaces, trimmed, cut to fit whole characters) or a negative
 * code when there is none. */
int cm_disc_bdmt_name(const char *xml, size_t len, char *name, size_t namesize);

/* One title described as a probed file is: container "bluray" or "dvd",
 * duration, chapters, and its audio and subtitle tracks as streams (codec,
 * language, channels). Free with cm_media_info_free. */
int cm_disc_title_info(const cm_disc *disc, size_t title, struct cm_media_info **out);

/* ---- playing a title ------------------------------------------------- */

/* The bytes one title plays, in order, as a player reads them: an MPEG-TS
 * of 192-byte packets (Blu-ray: the playlist's clips through libbluray) or
 * an MPEG program stream (DVD: the title's cells through libdvdread).
 * Reading the streams is what this is for; the index-only bound of
 * cm_disc_open does not apply. Not shared between threads. */
typedef struct cm_disc_stream cm_disc_stream;

/* Opens title `number` (the disc's own number, cm_disc_title.number) of
 * the disc at path (a folder or an image). Errors: CU_ENOTFOUND (no such
 * title), CM_DISC_EENCRYPTED, CU_EMEDIA. */
int cm_disc_stream_open(const char *path, int number, cm_disc_stream **out, cu_err *err);
/* Up to size bytes at the current position: > 0 read, 0 at the end, < 0
 * an error. */
int cm_disc_stream_read(cm_disc_stream *s, uint8_t *buf, int size);
/* Moves to byte pos of the title (0 <= pos <= size); returns the new
 * position or < 0. */
int64_t cm_disc_stream_seek(cm_disc_stream *s, int64_t pos);
int64_t cm_disc_stream_size(const cm_disc_stream *s);
/* The ids (MPEG-TS PID, or MPEG-PS stream id as libavformat gives it in
 * AVStream.id) of the title's video, audio and subtitle tracks, in the
 * order cm_disc_title_info numbers its streams: a reader puts the
 * demuxer's streams in that order so that numbers agree. Returns the
 * count (at most max). */
size_t cm_disc_stream_order(const cm_disc_stream *s, int *ids, size_t max);
/* A DVD title's subpicture colours as 0xRRGGBB (converted from the IFO's
 * YCrCb table), for a VobSub decoder, which finds none in the stream;
 * false for a Blu-ray (PGS carries its own). */
bool cm_disc_stream_palette(const cm_disc_stream *s, uint32_t rgb[16]);
void cm_disc_stream_free(cm_disc_stream *s);

/* A title handed through code that takes a file descriptor (the HLS
 * readers, index builds in the background, which duplicate and keep the
 * descriptor): a sealed in-memory file naming the disc's real path and
 * the title's number. cm_source_open recognises it and reads the title.
 * The caller checks the path (inside the library) before making one. */
int cm_disc_ref_new(const char *real_path, int number, cu_err *err); /* a descriptor, or < 0 */
/* Whether fd is such a reference; if so fills path and *number. */
bool cm_disc_ref_read(int fd, char *path, size_t size, int *number);

/* "main", "extra", "tiny", "duplicate", "loop", "part". */
const char *cm_disc_role_name(cm_disc_title_role role);
const char *cm_disc_kind_name(cm_disc_kind kind); /* "bluray", "dvd", "none" */

#endif
