/* cm_type: typesetting a title onto a poster with FreeType: greedy word
 * wrapping, the size stepped down until the lines fit, glyphs blended in
 * white over a darkened foot of the picture. */
#include "media/cm_type.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_CODEPOINTS CM_TYPE_MAX_BYTES

/* The code points of s (at most max), invalid bytes skipped. */
static size_t decode_utf8(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < max) {
        uint32_t c = *p;
        int extra = c < 0x80             ? 0
                    : (c & 0xE0) == 0xC0 ? 1
                    : (c & 0xF0) == 0xE0 ? 2
                    : (c & 0xF8) == 0xF0 ? 3
                                         : -1;
        if (extra < 0) {
            p++;
            continue;
        }
        c &= extra == 0 ? 0x7F : extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07;
        bool ok = true;
        for (int k = 1; k <= extra; k++) {
            if ((p[k] & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            c = (c << 6) | (p[k] & 0x3F);
        }
        p += ok ? extra + 1 : 1;
        if (ok && c >= 0x20 && c != 0x7F)
            out[n++] = c;
    }
    return n;
}

/* Advance of one code point at the face's current size, in pixels. */
static int advance(FT_Face face, uint32_t c)
{
    if (FT_Load_Char(face, c, FT_LOAD_DEFAULT) != 0)
        return 0;
    return (int)(face->glyph->advance.x >> 6);
}

static int width_of(FT_Face face, const uint32_t *text, size_t from, size_t to)
{
    int w = 0;
    for (size_t i = from; i < to; i++)
        w += advance(face, text[i]);
    return w;
}

typedef struct line {
    size_t from, to;
    int width;
} line;

/* Greedy wrapping at spaces within max_width; false when more than
 * CM_TYPE_MAX_LINES lines are needed or a word alone is too wide. */
static bool wrap(FT_Face face, const uint32_t *text, size_t n, int max_width, line *lines,
                 int *count)
{
    *count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && text[i] == ' ')
            i++;
        if (i >= n)
            break;
        if (*count == CM_TYPE_MAX_LINES)
            return false;
        size_t start = i, end = i, last_fit = i;
        while (end < n) {
            size_t word_end = end;
            while (word_end < n && text[word_end] == ' ')
                word_end++;
            while (word_end < n && text[word_end] != ' ')
                word_end++;
            if (width_of(face, text, start, word_end) > max_width)
                break;
            last_fit = word_end;
            end = word_end;
        }
        if (last_fit == start)
            return false; /* one word wider than the picture */
        lines[*count] = (line){start, last_fit, width_of(face, text, start, last_fit)};
        (*count)++;
        i = last_fit;
    }
    return true;
}

/* Blends the glyph bitmaps of text[from..to) in white, the pen starting at
 * (x, baseline). */
static void draw(FT_Face face, const uint32_t *text, size_t from, size_t to, int x, int baseline,
                 uint8_t *rgb, int w, int h, int stride, int alpha)
{
    for (size_t i = from; i < to; i++) {
        if (FT_Load_Char(face, text[i], FT_LOAD_RENDER) != 0)
            continue;
        const FT_GlyphSlot g = face->glyph;
        const FT_Bitmap *b = &g->bitmap;
        int left = x + g->bitmap_left, top = baseline - g->bitmap_top;
        for (unsigned row = 0; row < b->rows; row++) {
            int y = top + (int)row;
            if (y < 0 || y >= h)
                continue;
            for (unsigned col = 0; col < b->width; col++) {
                int px = left + (int)col;
                if (px < 0 || px >= w)
                    continue;
                int a = b->buffer[row * (unsigned)b->pitch + col] * alpha / 255;
                uint8_t *d = rgb + (size_t)y * (size_t)stride + (size_t)px * 3;
                for (int k = 0; k < 3; k++)
                    d[k] = (uint8_t)((d[k] * (255 - a) + 255 * a) / 255);
            }
        }
        x += (int)(g->advance.x >> 6);
    }
}

/* The lower part darkened, so white type reads over any frame. */
static void shade(uint8_t *rgb, int w, int h, int stride, int from_y)
{
    for (int y = 0; y < h; y++) {
        /* 0.85 everywhere, falling to 0.2 at the foot. */
        int keep = 217;
        if (y > from_y)
            keep = 217 - (217 - 51) * (y - from_y) / (h - from_y > 0 ? h - from_y : 1);
        uint8_t *row = rgb + (size_t)y * (size_t)stride;
        for (int i = 0; i < w * 3; i++)
            row[i] = (uint8_t)(row[i] * keep / 255);
    }
}

int cm_type_title(uint8_t *rgb, int w, int h, int stride, const char *title, int year, cu_err *err)
{
    if (access(CM_TYPE_SERIF_BOLD, R_OK) != 0 || access(CM_TYPE_SANS, R_OK) != 0)
        return cu_err_set(err, CU_ENOTFOUND, "no DejaVu fonts (install fonts-dejavu-core)");
    uint32_t text[MAX_CODEPOINTS];
    size_t n = decode_utf8(title ? title : "", text, MAX_CODEPOINTS);
    FT_Library lib = NULL;
    FT_Face serif = NULL, sans = NULL;
    int rc = 0;
    if (FT_Init_FreeType(&lib) != 0 || FT_New_Face(lib, CM_TYPE_SERIF_BOLD, 0, &serif) != 0 ||
        FT_New_Face(lib, CM_TYPE_SANS, 0, &sans) != 0) {
        rc = cu_err_set(err, CU_EMEDIA, "FreeType cannot load the DejaVu fonts");
        goto done;
    }
    int margin = w / 12, max_width = w - 2 * margin;
    line lines[CM_TYPE_MAX_LINES];
    int count = 0, size = h / 9;
    /* As large as fits: the size steps down until the title wraps into
     * the lines there are (a very long title ends cut at the last one). */
    for (; size >= h / 40; size -= size / 12 + 1) {
        FT_Set_Pixel_Sizes(serif, 0, (FT_UInt)size);
        if (wrap(serif, text, n, max_width, lines, &count))
            break;
    }
    if (size < h / 40) {
        size = h / 40;
        FT_Set_Pixel_Sizes(serif, 0, (FT_UInt)size);
        /* Even the smallest size does not fit: what fits of it, cut. */
        size_t keep = n;
        while (keep > 0 && !wrap(serif, text, keep, max_width, lines, &count))
            keep--;
    }
    int leading = size * 115 / 100;
    int year_size = h / 26;
    int block = count * leading + (year ? year_size * 2 : 0);
    int top = h - margin - block;
    shade(rgb, w, h, stride, top - h / 6 > 0 ? top - h / 6 : 0);
    int baseline = top + size;
    for (int i = 0; i < count; i++) {
        draw(serif, text, lines[i].from, lines[i].to, (w - lines[i].width) / 2, baseline, rgb, w, h,
             stride, 255);
        baseline += leading;
    }
    if (year) {
        char y[16];
        uint32_t digits[16];
        snprintf(y, sizeof y, "%d", year);
        size_t dn = decode_utf8(y, digits, 16);
        FT_Set_Pixel_Sizes(sans, 0, (FT_UInt)year_size);
        int yw = width_of(sans, digits, 0, dn);
        draw(sans, digits, 0, dn, (w - yw) / 2, baseline - leading + size / 3 + year_size * 3 / 2,
             rgb, w, h, stride, 220);
    }
done:
    if (sans)
        FT_Done_Face(sans);
    if (serif)
        FT_Done_Face(serif);
    if (lib)
        FT_Done_FreeType(lib);
    return rc;
}
