/* dl_cms: ConnectionManager:1. We only serve (http-get), never render,
 * and make no connections of our own: the one connection is 0. */
#include "dlna/dl_internal.h"
#include "dlna/dl_profile.h"
#include "dlna/dl_soap.h"

#include <string.h>

/* Every format a res may carry (dl_profile's MIME types). */
static const char source_info[] =
    "http-get:*:video/mp4:" DL_OP_FLAGS ",http-get:*:video/x-matroska:" DL_OP_FLAGS
    ",http-get:*:video/webm:*,http-get:*:video/quicktime:*,http-get:*:video/x-msvideo:*"
    ",http-get:*:video/mpeg:DLNA.ORG_PN=AVC_TS_MP_HD_AAC_MULT5_ISO;" DL_TS_OP_FLAGS
    ",http-get:*:video/mpeg:DLNA.ORG_PN=AVC_TS_MP_SD_AAC_MULT5_ISO;" DL_TS_OP_FLAGS
    ",http-get:*:video/mpeg:*,http-get:*:video/vnd.dlna.mpeg-tts:*,http-get:*:video/x-ms-wmv:*"
    ",http-get:*:video/ogg:*,http-get:*:video/x-flv:*,http-get:*:text/srt:*"
    ",http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_SM";

const char *dl_cms_source_info(void)
{
    return source_info;
}

unsigned dl_cms_action(dl_ctx *ctx, const dl_soap_call *call, cu_buf *reply)
{
    (void)ctx;
    const char *a = call->action;
    if (!strcmp(a, "GetProtocolInfo")) {
        const char *v[] = {"Source", source_info, "Sink", "", NULL};
        dl_soap_reply(reply, DL_CMS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "GetCurrentConnectionIDs")) {
        const char *v[] = {"ConnectionIDs", "0", NULL};
        dl_soap_reply(reply, DL_CMS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "GetCurrentConnectionInfo")) {
        const char *id = dl_soap_arg(call, "ConnectionID");
        if (!id || strcmp(id, "0")) {
            dl_soap_fault(reply, 706, "Invalid connection reference");
            return 500;
        }
        const char *v[] = {"RcsID",
                           "-1",
                           "AVTransportID",
                           "-1",
                           "ProtocolInfo",
                           "",
                           "PeerConnectionManager",
                           "",
                           "PeerConnectionID",
                           "-1",
                           "Direction",
                           "Output",
                           "Status",
                           "OK",
                           NULL};
        dl_soap_reply(reply, DL_CMS_TYPE, a, v);
        return 200;
    }
    dl_soap_fault(reply, 401, "Invalid Action");
    return 500;
}
