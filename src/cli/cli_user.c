/* cli_user: `cinemateca user add|list|passwd|disable|enable|remove`:
 * accounts in a catalog. Passwords come from a prompt without echo
 * (asked twice) or, with --password-stdin, from the first line of
 * standard input; never from the command line, where `ps` would show it. */
#include "catalog/cc_db.h"
#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "cli/cli.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void user_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca user add     --db FILE [--admin] [--password-stdin] NAME\n"
                 "       cinemateca user passwd  --db FILE [--password-stdin] NAME\n"
                 "       cinemateca user list    --db FILE\n"
                 "       cinemateca user disable --db FILE NAME\n"
                 "       cinemateca user enable  --db FILE NAME\n"
                 "       cinemateca user remove  --db FILE NAME\n"
                 "Manages the accounts of a catalog. Once one account exists, the server\n"
                 "asks everyone to sign in. Passwords are asked for without echo (twice),\n"
                 "or read from the first line of standard input with --password-stdin.\n"
                 "Disabling an account, or changing its password, signs it out everywhere.\n");
}

/* One line into buf without its newline; false at EOF or when too long. */
static bool read_line(FILE *in, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, in))
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(in))
        return false; /* longer than the buffer */
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

/* Prompts on the terminal with echo off. */
static bool prompt_hidden(FILE *tty, const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int fd = fileno(tty);
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    fputs(prompt, tty);
    fflush(tty);
    bool ok = read_line(tty, buf, size);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
    return ok;
}

static int get_password(bool from_stdin, char *buf, size_t size)
{
    if (from_stdin) {
        if (!read_line(stdin, buf, size)) {
            cli_error("no password on standard input (or longer than %d bytes)", CC_PASSWORD_MAX);
            return -1;
        }
        return 0;
    }
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty) {
        cli_error("no terminal to ask for the password; use --password-stdin");
        return -1;
    }
    char again[CC_PASSWORD_MAX + 2];
    int rc = -1;
    if (!prompt_hidden(tty, "Password: ", buf, size) ||
        !prompt_hidden(tty, "Password again: ", again, sizeof again))
        cli_error("no password given");
    else if (strcmp(buf, again))
        cli_error("the two passwords differ");
    else
        rc = 0;
    memset(again, 0, sizeof again);
    fclose(tty);
    return rc;
}

static const char *format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(buf, size, "%lld", (long long)t);
    return buf;
}

static int list_users(cc_db *db)
{
    cu_err err = {0};
    cc_user *users = NULL;
    size_t count = 0;
    if (cc_user_list(db, &users, &count, &err) < 0) {
        cli_error("%s", err.msg);
        return CLI_EXIT_FAIL;
    }
    if (count == 0)
        printf("no users: the server runs in local mode (loopback only, no sign-in)\n");
    for (size_t i = 0; i < count; i++) {
        const cc_user *u = &users[i];
        char when[64];
        printf("%lld\t%s\t%s%s\tadded %s", (long long)u->id, u->name, u->admin ? "admin" : "viewer",
               u->disabled ? " (disabled)" : "", format_time(u->created_at, when, sizeof when));
        if (!u->all_roots) {
            printf("\tfolders:");
            for (size_t r = 0; r < u->root_count; r++)
                printf("%s%s", r ? "," : " ", u->roots[r]);
            if (!u->root_count)
                printf(" none");
        }
        if (u->max_cert[0])
            printf("\tat most %s", u->max_cert);
        printf("\n");
    }
    cc_user_list_free(users, count);
    return CLI_EXIT_OK;
}

int cli_user(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"admin", no_argument, NULL, 'A'},
        {"password-stdin", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        user_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *action = argv[1];
    const char *db_path = NULL;
    bool admin = false, password_stdin = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "d:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'A': admin = true; break;
        case 'P': password_stdin = true; break;
        case 'h': user_usage(stdout); return CLI_EXIT_OK;
        default: user_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    char **rest = argv + 1 + optind;
    int rest_count = argc - 1 - optind;
    bool is_list = !strcmp(action, "list");
    static const char *const actions[] = {"add", "passwd", "list", "disable", "enable", "remove"};
    bool known = false;
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        known |= !strcmp(action, actions[i]);
    if (!known) {
        cli_error("unknown user action '%s'", action);
        user_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!db_path) {
        cli_error("user %s needs --db FILE", action);
        return CLI_EXIT_USAGE;
    }
    if (rest_count != (is_list ? 0 : 1)) {
        cli_error(is_list ? "user list takes no name" : "user %s needs exactly one NAME", action);
        return CLI_EXIT_USAGE;
    }
    if ((admin && strcmp(action, "add")) ||
        (password_stdin && strcmp(action, "add") && strcmp(action, "passwd"))) {
        cli_error("that option does not apply to user %s", action);
        return CLI_EXIT_USAGE;
    }
    const char *name = is_list ? NULL : rest[0];
    cu_err err = {0};
    if (name && cc_user_name_check(name, &err) < 0) {
        cli_error("%s", err.msg);
        return CLI_EXIT_USAGE;
    }
    if (!is_list && strcmp(action, "add") && access(db_path, F_OK) != 0) {
        cli_error("%s: no such catalog", db_path);
        return CLI_EXIT_FAIL;
    }
    cc_db *db = NULL;
    if (cc_db_open(db_path, is_list ? CC_OPEN_READONLY : CC_OPEN_READWRITE, &db, &err) < 0) {
        cli_error("%s", err.msg);
        return CLI_EXIT_FAIL;
    }
    int status = CLI_EXIT_FAIL;
    char password[CC_PASSWORD_MAX + 2];
    password[0] = '\0';
    cc_user user = {0};
    if (is_list) {
        status = list_users(db);
        goto done;
    }
    if (!strcmp(action, "add")) {
        if (get_password(password_stdin, password, sizeof password) < 0)
            goto done;
        if (cc_user_password_check(password, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        int64_t id = 0;
        if (cc_user_add(db, name, password, admin, &id, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        /* The key for signed URLs is made now, with the account, so that
         * it exists (mode 0600) before a server ever signs anything. */
        unsigned char key[CC_SERVER_KEY_BYTES];
        if (cc_server_key_load(db_path, key, &err) < 0)
            cli_error("warning: %s", err.msg);
        memset(key, 0, sizeof key);
        printf("added %s %s (id %lld)\n", admin ? "admin" : "viewer", name, (long long)id);
        status = CLI_EXIT_OK;
        goto done;
    }
    if (cc_user_find(db, name, &user, &err) < 0) {
        cli_error("%s: %s", name, err.code == CU_ENOTFOUND ? "no such user" : err.msg);
        goto done;
    }
    if (!strcmp(action, "passwd")) {
        if (get_password(password_stdin, password, sizeof password) < 0)
            goto done;
        if (cc_user_set_password(db, user.id, password, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        printf("changed the password of %s (signed out everywhere)\n", user.name);
    } else if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
        bool disable = !strcmp(action, "disable");
        if (cc_user_set_disabled(db, user.id, disable, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        printf("%s %s%s\n", disable ? "disabled" : "enabled", user.name,
               disable ? " (signed out everywhere)" : "");
    } else { /* remove */
        if (cc_user_remove(db, user.id, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        int64_t left = 0;
        cc_user_count(db, &left, &err);
        printf("removed %s%s\n", user.name,
               left ? "" : " (no users left: the server runs in local mode again)");
    }
    status = CLI_EXIT_OK;
done:
    memset(password, 0, sizeof password);
    cc_user_clear(&user);
    cc_db_close(db);
    return status;
}
