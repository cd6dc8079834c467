/* jf_user: signing in (a session of the accounts issue), the signed-in
 * user, and an empty public user list (no names for strangers). */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_user.h"

#include <stdio.h>
#include <string.h>

/* SessionInfoDto for the request's session. */
static json_t *session_info(jf_req *r, int64_t user_id, const char *user_name, int64_t session_id)
{
    char sid[JF_ID_CHARS + 1], uid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_USER, (uint64_t)session_id, sid);
    jf_id_make(JF_ID_USER, (uint64_t)user_id, uid);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:[], s:s}", "Id", sid,
                     "UserId", uid, "UserName", user_name, "Client", r->authz.client, "DeviceName",
                     r->authz.device, "DeviceId", r->authz.device_id, "ApplicationVersion",
                     r->authz.version, "IsActive", 1, "SupportsMediaControl", 0,
                     "SupportsRemoteControl", 0, "PlayableMediaTypes", "ServerId", r->server_id);
}

int jf_authenticate(jf_req *r)
{
    int ret;
    json_t *body = jf_body(r, &ret);
    if (!body)
        return ret;
    const char *name = json_string_value(json_object_get(body, "Username"));
    const char *pw = json_string_value(json_object_get(body, "Pw"));
    if (!name || (json_object_get(body, "Pw") && !pw)) {
        json_decref(body);
        return jf_reply_error(r, 400, "Username and Pw are strings");
    }
    if (!pw)
        pw = "";
    /* The session is named after the app and device, as the web app's are
     * after the browser, so a user can tell them apart and end one. */
    char device[2 * JF_AUTHZ_VALUE_MAX + 8];
    snprintf(device, sizeof device, "%s on %s", r->authz.client[0] ? r->authz.client : "app",
             r->authz.device[0] ? r->authz.device : "a device");
    char token[CC_TOKEN_CHARS + 1] = "";
    int64_t user_id = 0, retry = 0;
    bool admin = false;
    cu_err err = {0};
    int rc;
    if (r->signed_in && r->user_id == 0) {
        /* Local mode: no accounts exist and everyone is admin; the token
         * is a placeholder that local mode never checks. */
        rc = 0;
        strcpy(token, "local");
    } else {
        rc = cs_door_sign_in(r->req, name, pw, device, token, &user_id, &admin, &retry, &err);
    }
    json_decref(body);
    if (rc == CU_ENOTFOUND)
        return jf_reply_error(r, 401, "wrong name or password");
    if (rc == CU_ELIMIT || rc == CU_EBUSY)
        return jf_reply_error(r, 429, "too many attempts; try again later");
    if (rc < 0)
        return jf_reply_catalog(r, &err);
    r->user_id = user_id;
    r->admin = admin;
    json_t *user = jf_dto_user(r, user_id);
    int64_t uid, session;
    bool adm;
    cs_door_who(r->req, &uid, &adm, &session);
    const char *uname = json_string_value(json_object_get(user, "Name"));
    json_t *result = json_pack("{s:o, s:o, s:s, s:s}", "User", user, "SessionInfo",
                               session_info(r, user_id, uname ? uname : "", session), "AccessToken",
                               token, "ServerId", r->server_id);
    memset(token, 0, sizeof token);
    return jf_reply_json(r, 200, result);
}

int jf_users_public(jf_req *r)
{
    return jf_reply_json(r, 200, json_array());
}

int jf_user_me(jf_req *r)
{
    return jf_reply_json(r, 200, jf_dto_user(r, r->user_id));
}

int jf_user_get(jf_req *r, const char *id)
{
    int64_t uid;
    if (jf_id_of(id, JF_ID_USER, &uid) < 0)
        return jf_reply_not_found(r);
    if (uid != r->user_id)
        return jf_reply_error(r, 403, "only your own account is shown");
    return jf_reply_json(r, 200, jf_dto_user(r, uid));
}

int jf_users_list(jf_req *r)
{
    /* Only the asker: the accounts issue gives the user list to admins
     * through /api/v1/users, not to apps. */
    return jf_reply_json(r, 200, json_pack("[o]", jf_dto_user(r, r->user_id)));
}

int jf_logout(jf_req *r)
{
    if (strcmp(r->method, "POST"))
        return jf_reply_error(r, 405, "POST only");
    cu_err err = {0};
    if (cs_door_sign_out(r->req, &err) < 0)
        return jf_reply_catalog(r, &err);
    return jf_reply_empty(r, 204);
}

json_t *jf_dto_user(jf_req *r, int64_t user_id)
{
    cc_user u = {.id = user_id, .admin = true, .all_roots = true};
    cu_err err = {0};
    if (user_id > 0 && cc_user_get(r->db, user_id, &u, &err) < 0)
        u = (cc_user){.id = user_id};
    if (user_id == 0)
        strcpy(u.name, "local");
    char id[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_USER, (uint64_t)user_id, id);
    json_t *folders = json_array();
    for (size_t i = 0; i < u.root_count; i++) {
        char vid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_VIEW, jf_id_hash(u.roots[i]), vid);
        json_array_append_new(folders, json_string(vid));
    }
    json_t *policy = json_pack(
        "{s:b, s:b, s:b, s:b, s:o, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:s, s:s, "
        "s:[], s:[], s:i, s:i}",
        "IsAdministrator", u.admin, "IsHidden", 1, "IsDisabled", u.disabled, "EnableAllFolders",
        u.all_roots, "EnabledFolders", folders, "EnableMediaPlayback", 1,
        "EnableAudioPlaybackTranscoding", 1, "EnableVideoPlaybackTranscoding", 1,
        "EnablePlaybackRemuxing", 1, "EnableContentDownloading", 1, "EnableRemoteAccess", 1,
        "EnableUserPreferenceAccess", 1, "EnableContentDeletion", 0, "AuthenticationProviderId",
        "cinemateca", "PasswordResetProviderId", "cinemateca", "SyncPlayAccess", "None",
        "BlockedTags", "AllowedTags", "LoginAttemptsBeforeLockout", -1, "MaxActiveSessions", 0);
    json_t *config = json_pack(
        "{s:b, s:s, s:s, s:b, s:[], s:b, s:b, s:[], s:[], s:[], s:b, s:b, s:b, s:b}",
        "PlayDefaultAudioTrack", 1, "SubtitleLanguagePreference", "", "SubtitleMode", "Default",
        "DisplayMissingEpisodes", 0, "GroupedFolders", "DisplayCollectionsView", 0,
        "EnableLocalPassword", 0, "OrderedViews", "LatestItemsExcludes", "MyMediaExcludes",
        "HidePlayedInLatest", 1, "RememberAudioSelections", 1, "RememberSubtitleSelections", 1,
        "EnableNextEpisodeAutoPlay", 0);
    json_t *user =
        json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o}", "Name", u.name,
                  "ServerId", r->server_id, "Id", id, "HasPassword", user_id > 0,
                  "HasConfiguredPassword", user_id > 0, "HasConfiguredEasyPassword", 0,
                  "EnableAutoLogin", 0, "LastLoginDate", jf_time(u.created_at), "LastActivityDate",
                  jf_time(u.created_at), "Configuration", config, "Policy", policy);
    cc_user_clear(&u);
    return user;
}
