/* cli_demo: `cinemateca demo`: builds a small demo library the first time
 * (scripts/demo-library.sh, which uses the ffmpeg command) and serves it
 * exactly as `serve` would, with its catalog inside the demo folder. */
#include "cli/cli.h"
#include "server/cs_server.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef CINEMATECA_DATA_DIR
#define CINEMATECA_DATA_DIR "."
#endif

#define DEMO_MARKER ".cinemateca-demo"

static void demo_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca demo [--dir DIR] [--listen ADDRESS:PORT]\n"
                 "Builds a demo library of a dozen short films in DIR the first time\n"
                 "(default: $XDG_DATA_HOME/cinemateca/demo, else\n"
                 "~/.local/share/cinemateca/demo) and serves it with the web app.\n"
                 "  --dir      the demo library's folder\n"
                 "  --listen   address and port (default " CS_LISTEN_DEFAULT "; port 0: any free)\n"
                 "The library is made by scripts/demo-library.sh (CINEMATECA_DEMO_SCRIPT\n"
                 "overrides its path) with the ffmpeg command.\n");
}

/* $XDG_DATA_HOME/cinemateca/demo, else $HOME/.local/share/cinemateca/demo;
 * NULL when neither is set. */
static char *default_demo_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return cu_xasprintf("%s/cinemateca/demo", xdg);
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return cu_xasprintf("%s/.local/share/cinemateca/demo", home);
    return NULL;
}

/* mkdir -p for an absolute path; 0 or -errno. */
static int make_dirs(const char *path)
{
    char *p = cu_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            rc = -errno;
            break;
        }
        *s = saved;
        if (!saved)
            break;
    }
    free(p);
    return rc;
}

/* The generator's pid while it runs, so that a SIGINT or SIGTERM sent to
 * cinemateca alone (not to its process group) stops it too. Set and
 * cleared only by run_generator, read by the handler. */
static volatile sig_atomic_t generator_pid;
static volatile sig_atomic_t generator_stopped;

static void forward_signal(int sig)
{
    generator_stopped = 1;
    if (generator_pid > 0)
        kill((pid_t)generator_pid, sig);
}

/* Runs `bash SCRIPT DIR` and waits; its output goes to ours. The argument
 * vector is passed as is: no shell line is built from the folder's name. */
static int run_generator(const char *script, const char *dir)
{
    char *argv[] = {"bash", (char *)script, (char *)dir, NULL};
    struct sigaction forward = {.sa_handler = forward_signal}, old_int, old_term;
    sigemptyset(&forward.sa_mask);
    sigaction(SIGINT, &forward, &old_int);
    sigaction(SIGTERM, &forward, &old_term);
    pid_t pid;
    int status = 0;
    int rc = posix_spawnp(&pid, "bash", NULL, NULL, argv, environ);
    if (rc == 0) {
        generator_pid = pid;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        generator_pid = 0;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc != 0) {
        cli_error("cannot run bash for %s: %s", script, strerror(rc));
        return CLI_EXIT_FAIL;
    }
    if (generator_stopped || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT))
        return 130;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        cli_error("the demo library could not be built in %s (see above)", dir);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

int cli_demo(int argc, char **argv)
{
    static const struct option options[] = {
        {"dir", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir_arg = NULL, *listen = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': dir_arg = optarg; break;
        case 'l': listen = optarg; break;
        case 'h': demo_usage(stdout); return CLI_EXIT_OK;
        default: demo_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        demo_usage(stderr);
        return CLI_EXIT_USAGE;
    }

    int status = CLI_EXIT_FAIL;
    char *dir = NULL, *marker = NULL, *script = NULL, *state_dir = NULL, *db_path = NULL;
    if (dir_arg) {
        dir = cu_path_absolute(dir_arg);
    } else {
        dir = default_demo_dir();
        if (!dir) {
            cli_error("no home folder to keep the demo in (HOME is not set); use --dir DIR");
            status = CLI_EXIT_USAGE;
            goto done;
        }
    }
    if (!dir) {
        cli_error("%s: %s", dir_arg, strerror(errno));
        goto done;
    }
    int rc = make_dirs(dir);
    if (rc < 0) {
        cli_error("%s: %s", dir, strerror(-rc));
        goto done;
    }

    marker = cu_path_join(dir, DEMO_MARKER);
    if (access(marker, F_OK) < 0) {
        const char *env_script = getenv("CINEMATECA_DEMO_SCRIPT");
        script = env_script && *env_script
                     ? cu_xstrdup(env_script)
                     : cu_xasprintf("%s/scripts/demo-library.sh", CINEMATECA_DATA_DIR);
        fprintf(stderr, "cinemateca: building the demo library in %s (a few seconds)\n", dir);
        status = run_generator(script, dir);
        if (status != CLI_EXIT_OK)
            goto done;
        status = CLI_EXIT_FAIL;
    }

    state_dir = cu_path_join(dir, ".cinemateca");
    rc = make_dirs(state_dir);
    if (rc < 0) {
        cli_error("%s: %s", state_dir, strerror(-rc));
        goto done;
    }
    db_path = cu_path_join(state_dir, "catalog.db");
    const char *roots[] = {dir};
    cli_serve_options opt = {
        .db_path = db_path,
        .listen = listen,
        .roots = roots,
        .root_count = 1,
    };
    /* A failure there leaves the demo without shares, no more. */
    cli_demo_sharer *sharer = cli_demo_shares_start(db_path);
    status = cli_serve_run(&opt);
    cli_demo_shares_stop(sharer);
done:
    free(dir);
    free(marker);
    free(script);
    free(state_dir);
    free(db_path);
    return status;
}
