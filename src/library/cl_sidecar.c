/* cl_sidecar: subtitle files beside a film, and what their names say
 * ("Film.es.forced.srt" beside "Film.mkv"). */
#include "library/cl_sidecar.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool is_language_token(const char *s, size_t len)
{
    /* "en", "spa", "pt-BR", "zh-Hans" */
    if (len < 2 || len > 8)
        return false;
    size_t i = 0;
    while (i < len && isalpha((unsigned char)s[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    if (i == len)
        return true;
    if (s[i] != '-' || len - i - 1 < 2)
        return false;
    for (size_t k = i + 1; k < len; k++)
        if (!isalnum((unsigned char)s[k]))
            return false;
    return true;
}

static bool token_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && !strncasecmp(s, word, len);
}

bool cl_sidecar_parse(const char *video_name, const char *sub_name, cl_sidecar_info *out)
{
    memset(out, 0, sizeof *out);
    if (!video_name || !sub_name)
        return false;
    video_name = cu_path_basename(video_name);
    sub_name = cu_path_basename(sub_name);
    static const char *const exts[] = {".srt", ".ass", ".ssa", ".vtt", ".sup", ".sub", NULL};
    size_t sub_len = strlen(sub_name), ext_len = 0;
    for (size_t i = 0; exts[i]; i++)
        if (cu_str_has_suffix_ci(sub_name, exts[i]))
            ext_len = strlen(exts[i]);
    if (!ext_len)
        return false;
    /* The extension, without its dot, lower case. */
    for (size_t i = 0; i + 1 < ext_len && i + 1 < sizeof out->format; i++)
        out->format[i] = (char)tolower((unsigned char)sub_name[sub_len - ext_len + 1 + i]);
    const char *dot = strrchr(video_name, '.');
    size_t stem_len = dot && dot != video_name ? (size_t)(dot - video_name) : strlen(video_name);
    if (stem_len == 0 || sub_len < stem_len + ext_len ||
        strncasecmp(sub_name, video_name, stem_len) != 0)
        return false;
    const char *p = sub_name + stem_len, *end = sub_name + sub_len - ext_len;
    if (p != end && *p != '.')
        return false; /* "Film 2.srt" is not a subtitle of "Film.mkv" */
    /* The tokens between the film's name and the extension. */
    while (p < end) {
        p++; /* the dot */
        const char *tok = p;
        while (p < end && *p != '.')
            p++;
        size_t len = (size_t)(p - tok);
        if (token_is(tok, len, "forced"))
            out->is_forced = true;
        else if (token_is(tok, len, "default"))
            out->is_default = true;
        else if (token_is(tok, len, "sdh") || token_is(tok, len, "cc") || token_is(tok, len, "hi"))
            out->is_sdh = true;
        else if (!out->language[0] && is_language_token(tok, len)) {
            memcpy(out->language, tok, len);
            out->language[len] = '\0';
            for (char *c = out->language; *c; c++)
                *c = *c == '-' ? '-' : (char)tolower((unsigned char)*c);
        }
    }
    return true;
}
