/* disc_info: prints what cm_disc reads from a disc folder or image, one
 * fact per line, for the integration tests (tests/integration/discs.sh).
 * Exit status: 0 read, 3 encrypted, 2 any other failure, 1 usage. */
#include <stdio.h>
#include <string.h>

#include "media/cm_disc.h"

static void print_tracks(const char *label, const cm_disc_track *tracks, size_t count)
{
    printf(" %s=", label);
    for (size_t i = 0; i < count; i++)
        printf("%s%s:%s:%d", i ? "," : "", tracks[i].language[0] ? tracks[i].language : "-",
               tracks[i].codec[0] ? tracks[i].codec : "-", tracks[i].channels);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: disc_info PATH\n");
        return 1;
    }
    printf("detect %s\n", cm_disc_kind_name(cm_disc_detect(argv[1])));
    cm_disc *disc = NULL;
    cu_err err = {0};
    int rc = cm_disc_open(argv[1], &disc, &err);
    if (rc < 0) {
        printf("error %s\n", err.msg);
        return rc == CM_DISC_EENCRYPTED ? 3 : 2;
    }
    printf("kind %s\n", cm_disc_kind_name(disc->kind));
    printf("name %s\n", disc->name);
    printf("main %d\n", disc->titles[disc->main_title].number);
    printf("bytes_read %lld\n", (long long)disc->bytes_read);
    for (size_t i = 0; i < disc->title_count; i++) {
        const cm_disc_title *t = &disc->titles[i];
        printf("title %d role=%s duration=%.1f chapters=%zu", t->number, cm_disc_role_name(t->role),
               t->duration, t->chapter_count);
        for (size_t c = 0; c < t->chapter_count; c++)
            printf("%s%.1f", c ? "," : ":", t->chapters[c]);
        print_tracks("audio", t->audio, t->audio_count);
        print_tracks("subtitles", t->subtitles, t->subtitle_count);
        printf("\n");
    }
    if (disc->warnings[0]) {
        for (char *line = strtok(disc->warnings, "\n"); line; line = strtok(NULL, "\n"))
            printf("warning %s\n", line);
    }
    cm_disc_free(disc);
    return 0;
}
