/* jf_system: discovery and the small settings endpoints clients read
 * before and after sign-in: system info, ping, branding, Quick Connect
 * (off), capabilities, display preferences, localization. */
#include "jellyfin/jf_internal.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static json_t *info_public(jf_req *r)
{
    char host[256] = "cinemateca";
    if (gethostname(host, sizeof host) < 0 || !host[0])
        strcpy(host, "cinemateca");
    host[sizeof host - 1] = '\0';
    const char *h = cs_door_header(r->req, "Host");
    char local[300] = "";
    if (h && strlen(h) < 256 && !strpbrk(h, "\"<> "))
        snprintf(local, sizeof local, "http://%s", h);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "LocalAddress", local, "ServerName",
                     host, "Version", JF_VERSION, "ProductName", JF_PRODUCT, "OperatingSystem",
                     "Linux", "Id", r->server_id, "StartupWizardCompleted", 1);
}

int jf_system_info_public(jf_req *r)
{
    return jf_reply_json(r, 200, info_public(r));
}

int jf_system_info(jf_req *r)
{
    json_t *info = info_public(r);
    json_object_update(
        info, json_pack("{s:b, s:b, s:b, s:b, s:s, s:b, s:o, s:[]}", "HasPendingRestart", 0,
                        "IsShuttingDown", 0, "SupportsLibraryMonitor", 1, "CanSelfRestart", 0,
                        "OperatingSystemDisplayName", "Linux", "HasUpdateAvailable", 0,
                        "CastReceiverApplications", json_array(), "CompletedInstallations"));
    return jf_reply_json(r, 200, info);
}

int jf_system_ping(jf_req *r)
{
    return jf_reply_json(r, 200, json_string(JF_PRODUCT));
}

int jf_system_endpoint(jf_req *r)
{
    /* Whether the client is on this machine or its network, as the core
     * knows it (clients pick a bitrate by it). */
    struct sockaddr_storage peer;
    bool local = false;
    if (cs_door_peer(r->req, &peer) == 0) {
        if (peer.ss_family == AF_INET) {
            const unsigned char *a =
                (const unsigned char *)&((const struct sockaddr_in *)&peer)->sin_addr;
            local = a[0] == 127 || a[0] == 10 || (a[0] == 192 && a[1] == 168) ||
                    (a[0] == 172 && (a[1] & 0xf0) == 16);
        } else if (peer.ss_family == AF_INET6) {
            const struct in6_addr *a = &((const struct sockaddr_in6 *)&peer)->sin6_addr;
            local = IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_LINKLOCAL(a) ||
                    (a->s6_addr[0] & 0xfe) == 0xfc;
        }
    }
    return jf_reply_json(r, 200, json_pack("{s:b, s:b}", "IsLocal", local, "IsInNetwork", local));
}

int jf_branding(jf_req *r)
{
    return jf_reply_json(r, 200,
                         json_pack("{s:s, s:s, s:b}", "LoginDisclaimer", "", "CustomCss", "",
                                   "SplashscreenEnabled", 0));
}

int jf_branding_css(jf_req *r)
{
    return cs_door_reply(r->req, 200, "text/css", "", 0, NULL);
}

int jf_quick_connect(jf_req *r)
{
    return jf_reply_json(r, 200, json_false());
}

int jf_capabilities(jf_req *r)
{
    /* Accepted and not kept: nothing here controls a client remotely. */
    return jf_reply_empty(r, 204);
}

int jf_display_preferences(jf_req *r)
{
    if (!strcmp(r->method, "POST"))
        return jf_reply_empty(r, 204);
    const char *client = jf_param(r, "client");
    return jf_reply_json(
        r, 200,
        json_pack("{s:s, s:s, s:s, s:b, s:b, s:i, s:i, s:i, s:s, s:b, s:i, s:s, s:{}}", "Id",
                  r->raw[1], "SortBy", "SortName", "SortOrder", "Ascending", "RememberIndexing", 0,
                  "RememberSorting", 0, "PrimaryImageHeight", 250, "PrimaryImageWidth", 250,
                  "ScrollDirection", 0, "ViewType", "", "ShowBackdrop", 1, "IndexBy", 0, "Client",
                  client ? client : "emby", "CustomPrefs"));
}

int jf_localization(jf_req *r)
{
    const char *what = r->seg[1];
    if (!strcmp(what, "cultures"))
        return jf_reply_json(
            r, 200,
            json_pack("[{s:s, s:s, s:s, s:s, s:[s]}, {s:s, s:s, s:s, s:s, s:[s]}]", "Name",
                      "English", "DisplayName", "English", "TwoLetterISOLanguageName", "en",
                      "ThreeLetterISOLanguageName", "eng", "ThreeLetterISOLanguageNames", "eng",
                      "Name", "Spanish", "DisplayName", "Spanish", "TwoLetterISOLanguageName", "es",
                      "ThreeLetterISOLanguageName", "spa", "ThreeLetterISOLanguageNames", "spa"));
    if (!strcmp(what, "countries"))
        return jf_reply_json(r, 200,
                             json_pack("[{s:s, s:s, s:s, s:s}]", "Name", "US", "DisplayName",
                                       "United States", "TwoLetterISORegionName", "US",
                                       "ThreeLetterISORegionName", "USA"));
    if (!strcmp(what, "parentalratings"))
        return jf_reply_json(r, 200, json_array());
    if (!strcmp(what, "options"))
        return jf_reply_json(r, 200,
                             json_pack("[{s:s, s:s}]", "Name", "English", "Value", "en-US"));
    return jf_reply_not_found(r);
}
