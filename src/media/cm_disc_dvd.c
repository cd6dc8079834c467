/* cm_disc_dvd: a DVD's titles through libdvdread: the title table of
 * VIDEO_TS.IFO, then each title set's IFO for programme chains, cells,
 * chapters and tracks. libdvdread reads only the IFO files (and our CSS
 * probe a few sectors of one VOB per title set). */
#include "media/cm_disc_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <dvdread/dvd_reader.h>
#include <dvdread/ifo_read.h>
#include <dvdread/ifo_types.h>

#include "util/cu_str.h"

#define DVD_SECTOR 2048
#define DVD_MAX_TITLE_SETS 99
/* Sectors of a title set's first VOB read to see whether it is scrambled:
 * the first sectors hold navigation packs (never scrambled), video follows. */
#define CSS_PROBE_SECTORS 16

static void quiet_log(void *priv, dvd_logger_level_t level, const char *fmt, va_list args)
{
    (void)priv;
    (void)level;
    (void)fmt;
    (void)args;
}

static const dvd_logger_cb quiet_logger = {quiet_log};

/* Folders and images alike are opened by path: libdvdread's own stream
 * callbacks work only together with a decryption library, which
 * cinemateca never loads. */
static dvd_reader_t *open_dvd(const char *path)
{
    return DVDOpen2(NULL, &quiet_logger, path);
}

bool cm_disc_dvd_image_is(const char *path)
{
    dvd_reader_t *dvd = open_dvd(path);
    bool is = false;
    if (dvd) {
        ifo_handle_t *vmg = ifoOpenVMGI(dvd);
        is = vmg != NULL;
        if (vmg)
            ifoClose(vmg);
        DVDClose(dvd);
    }
    return is;
}

static int bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 15);
}

static double dvd_seconds(const dvd_time_t *t)
{
    double fps = (t->frame_u >> 6) == 1 ? 25.0 : 30000.0 / 1001.0;
    return bcd(t->hour) * 3600.0 + bcd(t->minute) * 60.0 + bcd(t->second) +
           bcd(t->frame_u & 0x3f) / fps;
}

static void copy_language(char dst[4], uint16_t code)
{
    char a = (char)(code >> 8), b = (char)(code & 0xff);
    dst[0] = '\0';
    if (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z') {
        dst[0] = a;
        dst[1] = b;
        dst[2] = '\0';
    }
}

static const char *audio_codec(int format)
{
    switch (format) {
    case 0: return "ac3";
    case 2:
    case 3: return "mp2";
    case 4: return "lpcm";
    case 6: return "dts";
    }
    return "";
}

static const pgc_t *title_pgc(const ifo_handle_t *vts, int pgcn)
{
    const pgcit_t *pgcit = vts->vts_pgcit;
    if (!pgcit || pgcn < 1 || pgcn > pgcit->nr_of_pgci_srp)
        return NULL;
    return pgcit->pgci_srp[pgcn - 1].pgc;
}

static double pgc_seconds(const pgc_t *pgc)
{
    return pgc ? dvd_seconds(&pgc->playback_time) : 0;
}

/* Start of programme pgn in its chain: the cells before its first cell. */
static double program_start(const pgc_t *pgc, int pgn)
{
    if (!pgc || pgn < 1 || pgn > pgc->nr_of_programs || !pgc->program_map || !pgc->cell_playback)
        return 0;
    int first_cell = pgc->program_map[pgn - 1];
    double at = 0;
    for (int c = 0; c < first_cell - 1 && c < pgc->nr_of_cells; c++)
        at += dvd_seconds(&pgc->cell_playback[c].playback_time);
    return at;
}

static void fill_tracks(cm_disc_title *t, const ifo_handle_t *vts, const pgc_t *pgc)
{
    const vtsi_mat_t *mat = vts->vtsi_mat;
    if (!mat)
        return;
    const video_attr_t *v = &mat->vts_video_attr;
    cu_strlcpy(t->video_codec, v->mpeg_version == 0 ? "mpeg1video" : "mpeg2video",
               sizeof t->video_codec);
    bool pal = v->video_format == 1;
    static const int widths[] = {720, 704, 352, 352};
    t->width = widths[v->picture_size & 3];
    t->height = (v->picture_size == 3 ? 1 : 2) * (pal ? 288 : 240);
    t->frame_rate = pal ? 25 : 30000.0 / 1001;
    for (int i = 0; i < mat->nr_of_vts_audio_streams && i < 8; i++) {
        if (!(pgc->audio_control[i] & 0x8000))
            continue;
        const audio_attr_t *a = &mat->vts_audio_attr[i];
        cm_disc_track *track = &t->audio[t->audio_count++];
        if (a->lang_type == 1)
            copy_language(track->language, a->lang_code);
        cu_strlcpy(track->codec, audio_codec(a->audio_format), sizeof track->codec);
        track->channels = a->channels + 1;
    }
    for (int i = 0;
         i < mat->nr_of_vts_subp_streams && i < 32 && t->subtitle_count < CM_DISC_MAX_TRACKS; i++) {
        if (!(pgc->subp_control[i] & 0x80000000u))
            continue;
        const subp_attr_t *s = &mat->vts_subp_attr[i];
        cm_disc_track *track = &t->subtitles[t->subtitle_count++];
        if (s->type == 1)
            copy_language(track->language, s->lang_code);
        cu_strlcpy(track->codec, "vobsub", sizeof track->codec);
    }
}

/* A title plays the programme chains its chapters point to, in order. */
static void fill_title(cm_disc_title *t, int number, const title_info_t *info,
                       const ifo_handle_t *vts)
{
    t->number = number;
    const vts_ptt_srpt_t *ptt_srpt = vts->vts_ptt_srpt;
    if (!ptt_srpt || info->vts_ttn < 1 || info->vts_ttn > ptt_srpt->nr_of_srpts)
        return;
    const ttu_t *ttu = &ptt_srpt->title[info->vts_ttn - 1];
    int chains[CM_DISC_MAX_CHAPTERS];
    double chain_start[CM_DISC_MAX_CHAPTERS];
    int chain_count = 0;
    double total = 0;
    for (int p = 0; p < ttu->nr_of_ptts && p < CM_DISC_MAX_CHAPTERS; p++) {
        int pgcn = ttu->ptt[p].pgcn;
        const pgc_t *pgc = title_pgc(vts, pgcn);
        if (!pgc)
            continue;
        int k = 0;
        while (k < chain_count && chains[k] != pgcn)
            k++;
        if (k == chain_count) {
            chains[chain_count] = pgcn;
            chain_start[chain_count++] = total;
            total += pgc_seconds(pgc);
            if (chain_count == 1)
                fill_tracks(t, vts, pgc);
            for (int c = 0; c < pgc->nr_of_cells && pgc->cell_playback && pgc->cell_position; c++) {
                if (t->segment_count == CM_DISC_MAX_SEGMENTS) {
                    t->segments_cut = true;
                    break;
                }
                uint32_t clip =
                    ((uint32_t)info->title_set_nr << 16) | pgc->cell_position[c].vob_id_nr;
                uint64_t detail = ((uint64_t)pgc->cell_playback[c].first_sector << 8) |
                                  pgc->cell_position[c].cell_nr;
                t->segments[t->segment_count++] = CM_DISC_SEGMENT(clip, detail);
            }
        }
        t->chapters[t->chapter_count++] = chain_start[k] + program_start(pgc, ttu->ptt[p].pgn);
    }
    t->duration = total;
}

/* CSS scrambles the payload of a sector's first PES packet and says so in
 * the packet's scrambling-control bits (MPEG-2 systems: two bits after the
 * '10' marker of the PES header's first flag byte). */
static bool sector_scrambled(const unsigned char *s)
{
    if (s[0] != 0 || s[1] != 0 || s[2] != 1 || s[3] != 0xBA)
        return false;
    size_t at = 14 + (s[13] & 7); /* MPEG-2 pack header and its stuffing */
    if (at + 7 > DVD_SECTOR || s[at] != 0 || s[at + 1] != 0 || s[at + 2] != 1)
        return false;
    unsigned id = s[at + 3];
    if (id != 0xE0 && id != 0xBD && (id & 0xE0) != 0xC0)
        return false;
    return (s[at + 6] & 0xC0) == 0x80 && (s[at + 6] & 0x30) != 0;
}

static bool title_set_scrambled(dvd_reader_t *dvd, int title_set, int64_t *bytes)
{
    dvd_file_t *file = DVDOpenFile(dvd, title_set, DVD_READ_TITLE_VOBS);
    if (!file)
        return false;
    _Static_assert(CSS_PROBE_SECTORS * DVD_SECTOR <= 64 * 1024, "probe stays small");
    unsigned char *buf = cu_xmalloc(CSS_PROBE_SECTORS * DVD_SECTOR);
    ssize_t blocks = DVDReadBlocks(file, 0, CSS_PROBE_SECTORS, buf);
    bool scrambled = false;
    for (ssize_t i = 0; i < blocks && !scrambled; i++)
        scrambled = sector_scrambled(buf + i * DVD_SECTOR);
    if (blocks > 0)
        *bytes += blocks * DVD_SECTOR;
    free(buf);
    DVDCloseFile(file);
    return scrambled;
}

/* What libdvdread reads of a title set's information file is at most its
 * size (it reads the tables it needs, from the file or the image). */
static int64_t ifo_size(dvd_reader_t *dvd, int title_set)
{
    dvd_stat_t st;
    return DVDFileStat(dvd, title_set, DVD_READ_INFO_FILE, &st) == 0 ? (int64_t)st.size : 0;
}

static void read_name(dvd_reader_t *dvd, cm_disc *disc)
{
    char volume[33] = "";
    unsigned char set[128];
    if (DVDUDFVolumeInfo(dvd, volume, sizeof volume, set, sizeof set) != 0 || !volume[0])
        if (DVDISOVolumeInfo(dvd, volume, sizeof volume, set, sizeof set) != 0)
            volume[0] = '\0';
    volume[sizeof volume - 1] = '\0';
    for (char *p = volume; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
            *p = ' ';
    cu_str_trim(volume);
    cu_strlcpy(disc->name, volume, sizeof disc->name);
}

int cm_disc_dvd_read(const char *path, bool is_image, cm_disc *disc, cu_err *err)
{
    ifo_handle_t *vmg = NULL;
    ifo_handle_t *sets[DVD_MAX_TITLE_SETS + 1] = {0};
    int64_t bytes = 0;
    int rc = 0;
    (void)is_image;
    dvd_reader_t *dvd = open_dvd(path);
    if (!dvd) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable DVD");
        goto done;
    }
    vmg = ifoOpen(dvd, 0);
    if (!vmg || !vmg->tt_srpt) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable DVD (VIDEO_TS.IFO damaged)");
        goto done;
    }
    bytes += ifo_size(dvd, 0);
    const tt_srpt_t *tt = vmg->tt_srpt;
    for (int i = 0; i < tt->nr_of_srpts && i < 99; i++) {
        const title_info_t *info = &tt->title[i];
        int ts = info->title_set_nr;
        if (ts < 1 || ts > DVD_MAX_TITLE_SETS)
            continue;
        if (!sets[ts]) {
            sets[ts] = ifoOpen(dvd, ts);
            if (!sets[ts]) {
                cm_disc_warn(disc, "VTS_%02d_0.IFO: damaged title set (title %d left out)", ts,
                             i + 1);
                continue;
            }
            bytes += ifo_size(dvd, ts);
            if (title_set_scrambled(dvd, ts, &bytes)) {
                rc = cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (CSS)");
                goto done;
            }
        }
        cm_disc_title *t = cm_disc_add_title(disc);
        if (!t)
            break;
        fill_title(t, i + 1, info, sets[ts]);
    }
    read_name(dvd, disc);
done:
    disc->bytes_read = bytes;
    for (int i = 0; i <= DVD_MAX_TITLE_SETS; i++)
        if (sets[i])
            ifoClose(sets[i]);
    if (vmg)
        ifoClose(vmg);
    if (dvd)
        DVDClose(dvd);
    return rc;
}

/* ---- playing a title ---- */

/* A title plays its chains' cells in order; in an angle block only the
 * first angle's cells. Its bytes are those cells' sectors, one after the
 * other. */
#define DVD_PLAY_MAX_CELLS 1024
#define DVD_PLAY_BLOCKS 32

typedef struct dvd_cell {
    uint32_t first, count; /* sectors in the title set's VOBs */
} dvd_cell;

typedef struct dvd_play {
    dvd_reader_t *dvd;
    dvd_file_t *vobs;
    size_t cell_count;
    dvd_cell cells[DVD_PLAY_MAX_CELLS];
    int64_t pos, size;
    unsigned char block[DVD_PLAY_BLOCKS * DVD_SECTOR];
} dvd_play;

static void add_cells(dvd_play *p, const pgc_t *pgc)
{
    for (int c = 0; pgc->cell_playback && c < pgc->nr_of_cells; c++) {
        const cell_playback_t *cell = &pgc->cell_playback[c];
        if (cell->block_type == BLOCK_TYPE_ANGLE_BLOCK && cell->block_mode > 1)
            continue; /* another angle of the same moment */
        if (cell->last_sector < cell->first_sector || p->cell_count == DVD_PLAY_MAX_CELLS)
            continue;
        uint32_t count = cell->last_sector - cell->first_sector + 1;
        p->cells[p->cell_count++] = (dvd_cell){cell->first_sector, count};
        p->size += (int64_t)count * DVD_SECTOR;
    }
}

static int dvd_play_read(void *impl, uint8_t *buf, int size)
{
    dvd_play *p = impl;
    if (p->pos >= p->size)
        return 0;
    int64_t sector = p->pos / DVD_SECTOR, skip = p->pos % DVD_SECTOR;
    size_t c = 0;
    while (c < p->cell_count && sector >= p->cells[c].count)
        sector -= p->cells[c++].count;
    if (c == p->cell_count)
        return 0;
    int64_t blocks = p->cells[c].count - sector;
    int64_t wanted = (skip + size + DVD_SECTOR - 1) / DVD_SECTOR;
    if (blocks > wanted)
        blocks = wanted;
    if (blocks > DVD_PLAY_BLOCKS)
        blocks = DVD_PLAY_BLOCKS;
    ssize_t got =
        DVDReadBlocks(p->vobs, (int)(p->cells[c].first + sector), (size_t)blocks, p->block);
    if (got <= 0)
        return -EIO;
    int64_t n = got * DVD_SECTOR - skip;
    if (n > size)
        n = size;
    memcpy(buf, p->block + skip, (size_t)n);
    p->pos += n;
    return (int)n;
}

static int64_t dvd_play_seek(void *impl, int64_t pos)
{
    dvd_play *p = impl;
    p->pos = pos;
    return pos;
}

static void dvd_play_free(void *impl)
{
    dvd_play *p = impl;
    if (p->vobs)
        DVDCloseFile(p->vobs);
    if (p->dvd)
        DVDClose(p->dvd);
    free(p);
}

static const cm_disc_stream_ops dvd_play_ops = {dvd_play_read, dvd_play_seek, dvd_play_free};

/* The stream ids libavformat's MPEG-PS reader gives the tracks
 * fill_tracks lists, in its order: the programme chain's control words
 * say which stream of the VOBs each track is. */
static void stream_order(const ifo_handle_t *vts, const pgc_t *pgc, cm_disc_order *order)
{
    order->count = 0;
    memcpy(order->palette, pgc->palette, sizeof order->palette);
    order->palette_set = true;
    const vtsi_mat_t *mat = vts->vtsi_mat;
    if (!mat)
        return;
    order->ids[order->count++] = 0x1e0;
    for (int i = 0; i < mat->nr_of_vts_audio_streams && i < 8; i++) {
        if (!(pgc->audio_control[i] & 0x8000))
            continue;
        int n = (pgc->audio_control[i] >> 8) & 7;
        int base;
        switch (mat->vts_audio_attr[i].audio_format) {
        case 0: base = 0x80; break; /* AC-3 */
        case 2:
        case 3: base = 0x1c0; break; /* MPEG audio */
        case 4: base = 0xa0; break;  /* LPCM */
        case 6: base = 0x88; break;  /* DTS */
        default: base = 0x80; break;
        }
        order->ids[order->count++] = base + n;
    }
    for (int i = 0; i < mat->nr_of_vts_subp_streams && i < 32 && order->count < CM_DISC_ORDER_MAX;
         i++) {
        if (!(pgc->subp_control[i] & 0x80000000u))
            continue;
        order->ids[order->count++] = 0x20 + (int)((pgc->subp_control[i] >> 24) & 0x1f);
    }
}

int cm_disc_dvd_stream(const char *path, int number, const cm_disc_stream_ops **ops, void **impl,
                       int64_t *size, cm_disc_order *order, cu_err *err)
{
    dvd_play *p = cu_xcalloc(1, sizeof *p);
    ifo_handle_t *vmg = NULL, *vts = NULL;
    int rc = 0;
    p->dvd = open_dvd(path);
    vmg = p->dvd ? ifoOpen(p->dvd, 0) : NULL;
    if (!vmg || !vmg->tt_srpt) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable DVD");
        goto done;
    }
    if (number < 1 || number > vmg->tt_srpt->nr_of_srpts) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no title %d on the disc", number);
        goto done;
    }
    const title_info_t *info = &vmg->tt_srpt->title[number - 1];
    vts = info->title_set_nr >= 1 && info->title_set_nr <= DVD_MAX_TITLE_SETS
              ? ifoOpen(p->dvd, info->title_set_nr)
              : NULL;
    if (!vts || !vts->vts_ptt_srpt || info->vts_ttn < 1 ||
        info->vts_ttn > vts->vts_ptt_srpt->nr_of_srpts) {
        rc = cu_err_set(err, CU_EMEDIA, "title %d: damaged title set", number);
        goto done;
    }
    int64_t scratch = 0;
    if (title_set_scrambled(p->dvd, info->title_set_nr, &scratch)) {
        rc = cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (CSS)");
        goto done;
    }
    const ttu_t *ttu = &vts->vts_ptt_srpt->title[info->vts_ttn - 1];
    int seen[CM_DISC_MAX_CHAPTERS];
    int seen_count = 0;
    for (int c = 0; c < ttu->nr_of_ptts && c < CM_DISC_MAX_CHAPTERS; c++) {
        int pgcn = ttu->ptt[c].pgcn, k = 0;
        while (k < seen_count && seen[k] != pgcn)
            k++;
        const pgc_t *pgc = title_pgc(vts, pgcn);
        if (k < seen_count || !pgc)
            continue;
        if (seen_count == 0)
            stream_order(vts, pgc, order);
        seen[seen_count++] = pgcn;
        add_cells(p, pgc);
    }
    p->vobs = DVDOpenFile(p->dvd, info->title_set_nr, DVD_READ_TITLE_VOBS);
    if (!p->vobs || p->size == 0) {
        rc = cu_err_set(err, CU_EMEDIA, "title %d plays nothing", number);
        goto done;
    }
    *size = p->size;
    *ops = &dvd_play_ops;
    *impl = p;
done:
    if (vts)
        ifoClose(vts);
    if (vmg)
        ifoClose(vmg);
    if (rc < 0)
        dvd_play_free(p);
    return rc;
}
