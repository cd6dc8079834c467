/* dl_desc: the device description (UDA 1.1 section 2) and the service
 * descriptions (SCPD) of ContentDirectory:1 and ConnectionManager:1, with
 * exactly the actions dl_cds and dl_cms answer. */
#include "dlna/dl_internal.h"
#include "dlna/dl_soap.h"

#include <stdbool.h>

void dl_desc_device(const dl_server *dl, cu_buf *out)
{
    cu_buf_puts(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
        "<root xmlns=\"urn:schemas-upnp-org:device-1-0\""
        " xmlns:dlna=\"urn:schemas-dlna-org:device-1-0\""
        " xmlns:sec=\"http://www.sec.co.kr/dlna\">"
        "<specVersion><major>1</major><minor>0</minor></specVersion>"
        "<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>"
        "<dlna:X_DLNADOC xmlns:dlna=\"urn:schemas-dlna-org:device-1-0\">DMS-1.50</dlna:X_DLNADOC>"
        "<friendlyName>");
    dl_xml_escape(out, dl->name);
    cu_buf_puts(out, "</friendlyName><manufacturer>cinemateca</manufacturer>"
                     "<manufacturerURL>https://example.invalid/cinemateca</manufacturerURL>"
                     "<modelDescription>cinemateca film library</modelDescription>"
                     "<modelName>cinemateca</modelName><modelNumber>" CINEMATECA_VERSION
                     "</modelNumber><serialNumber>1</serialNumber><UDN>");
    dl_xml_escape(out, dl->uuid);
    cu_buf_puts(
        out, "</UDN><sec:ProductCap>smi,DCM10,getMediaInfo.sec,getCaptionInfo.sec</sec:ProductCap>"
             "<sec:X_ProductCap>smi,DCM10,getMediaInfo.sec,getCaptionInfo.sec</sec:X_ProductCap>"
             "<serviceList>"
             "<service><serviceType>" DL_CDS_TYPE "</serviceType>"
             "<serviceId>urn:upnp-org:serviceId:ContentDirectory</serviceId>"
             "<SCPDURL>/dlna/cds.xml</SCPDURL><controlURL>/dlna/control/cds</controlURL>"
             "<eventSubURL>/dlna/event/cds</eventSubURL></service>"
             "<service><serviceType>" DL_CMS_TYPE "</serviceType>"
             "<serviceId>urn:upnp-org:serviceId:ConnectionManager</serviceId>"
             "<SCPDURL>/dlna/cms.xml</SCPDURL><controlURL>/dlna/control/cms</controlURL>"
             "<eventSubURL>/dlna/event/cms</eventSubURL></service>"
             "</serviceList></device></root>\r\n");
}

/* ---- the SCPDs: one writer over two tables ---- */

typedef struct scpd_arg {
    const char *name, *var;
    bool out;
} scpd_arg;

typedef struct scpd_action {
    const char *name;
    const scpd_arg *args; /* up to the first with name NULL */
} scpd_action;

typedef struct scpd_var {
    const char *name, *type;
    bool events;
    const char *const *allowed; /* NULL-terminated allowed values, or NULL */
} scpd_var;

/* Browse and Search share what follows the object they start from. */
#define PAGED_ARGS                                                                                 \
    {"Filter", "A_ARG_TYPE_Filter", false}, {"StartingIndex", "A_ARG_TYPE_Index", false},          \
        {"RequestedCount", "A_ARG_TYPE_Count", false},                                             \
        {"SortCriteria", "A_ARG_TYPE_SortCriteria", false}, {"Result", "A_ARG_TYPE_Result", true}, \
        {"NumberReturned", "A_ARG_TYPE_Count", true}, {"TotalMatches", "A_ARG_TYPE_Count", true},  \
        {"UpdateID", "A_ARG_TYPE_UpdateID", true},                                                 \
    {                                                                                              \
        NULL, NULL, false                                                                          \
    }

static const scpd_arg search_caps[] = {{"SearchCaps", "SearchCapabilities", true}, {0}};
static const scpd_arg sort_caps[] = {{"SortCaps", "SortCapabilities", true}, {0}};
static const scpd_arg update_id[] = {{"Id", "SystemUpdateID", true}, {0}};
static const scpd_arg browse[] = {{"ObjectID", "A_ARG_TYPE_ObjectID", false},
                                  {"BrowseFlag", "A_ARG_TYPE_BrowseFlag", false},
                                  PAGED_ARGS};
static const scpd_arg search[] = {{"ContainerID", "A_ARG_TYPE_ObjectID", false},
                                  {"SearchCriteria", "A_ARG_TYPE_SearchCriteria", false},
                                  PAGED_ARGS};
static const scpd_arg feature_list[] = {{"FeatureList", "A_ARG_TYPE_Featurelist", true}, {0}};
static const scpd_arg set_bookmark[] = {{"CategoryType", "A_ARG_TYPE_CategoryType", false},
                                        {"RID", "A_ARG_TYPE_RID", false},
                                        {"ObjectID", "A_ARG_TYPE_ObjectID", false},
                                        {"PosSecond", "A_ARG_TYPE_PosSec", false},
                                        {0}};
static const scpd_action cds_actions[] = {{"GetSearchCapabilities", search_caps},
                                          {"GetSortCapabilities", sort_caps},
                                          {"GetSystemUpdateID", update_id},
                                          {"Browse", browse},
                                          {"Search", search},
                                          {"X_GetFeatureList", feature_list},
                                          {"X_SetBookmark", set_bookmark},
                                          {NULL, NULL}};
static const char *const browse_flags[] = {"BrowseMetadata", "BrowseDirectChildren", NULL};
static const scpd_var cds_vars[] = {{"SearchCapabilities", "string", false, NULL},
                                    {"SortCapabilities", "string", false, NULL},
                                    {"SystemUpdateID", "ui4", true, NULL},
                                    {"ContainerUpdateIDs", "string", true, NULL},
                                    {"A_ARG_TYPE_ObjectID", "string", false, NULL},
                                    {"A_ARG_TYPE_BrowseFlag", "string", false, browse_flags},
                                    {"A_ARG_TYPE_Filter", "string", false, NULL},
                                    {"A_ARG_TYPE_Index", "ui4", false, NULL},
                                    {"A_ARG_TYPE_Count", "ui4", false, NULL},
                                    {"A_ARG_TYPE_SortCriteria", "string", false, NULL},
                                    {"A_ARG_TYPE_SearchCriteria", "string", false, NULL},
                                    {"A_ARG_TYPE_Result", "string", false, NULL},
                                    {"A_ARG_TYPE_UpdateID", "ui4", false, NULL},
                                    {"A_ARG_TYPE_Featurelist", "string", false, NULL},
                                    {"A_ARG_TYPE_CategoryType", "ui4", false, NULL},
                                    {"A_ARG_TYPE_RID", "ui4", false, NULL},
                                    {"A_ARG_TYPE_PosSec", "ui4", false, NULL},
                                    {NULL, NULL, false, NULL}};

static const scpd_arg protocol_info[] = {
    {"Source", "SourceProtocolInfo", true}, {"Sink", "SinkProtocolInfo", true}, {0}};
static const scpd_arg connection_ids[] = {{"ConnectionIDs", "CurrentConnectionIDs", true}, {0}};
static const scpd_arg connection_info[] = {
    {"ConnectionID", "A_ARG_TYPE_ConnectionID", false},
    {"RcsID", "A_ARG_TYPE_RcsID", true},
    {"AVTransportID", "A_ARG_TYPE_AVTransportID", true},
    {"ProtocolInfo", "A_ARG_TYPE_ProtocolInfo", true},
    {"PeerConnectionManager", "A_ARG_TYPE_ConnectionManager", true},
    {"PeerConnectionID", "A_ARG_TYPE_ConnectionID", true},
    {"Direction", "A_ARG_TYPE_Direction", true},
    {"Status", "A_ARG_TYPE_ConnectionStatus", true},
    {0}};
static const scpd_action cms_actions[] = {{"GetProtocolInfo", protocol_info},
                                          {"GetCurrentConnectionIDs", connection_ids},
                                          {"GetCurrentConnectionInfo", connection_info},
                                          {NULL, NULL}};
static const char *const statuses[] = {
    "OK", "ContentFormatMismatch", "InsufficientBandwidth", "UnreliableChannel", "Unknown", NULL};
static const char *const directions[] = {"Input", "Output", NULL};
static const scpd_var cms_vars[] = {{"SourceProtocolInfo", "string", true, NULL},
                                    {"SinkProtocolInfo", "string", true, NULL},
                                    {"CurrentConnectionIDs", "string", true, NULL},
                                    {"A_ARG_TYPE_ConnectionStatus", "string", false, statuses},
                                    {"A_ARG_TYPE_ConnectionManager", "string", false, NULL},
                                    {"A_ARG_TYPE_Direction", "string", false, directions},
                                    {"A_ARG_TYPE_ProtocolInfo", "string", false, NULL},
                                    {"A_ARG_TYPE_ConnectionID", "i4", false, NULL},
                                    {"A_ARG_TYPE_AVTransportID", "i4", false, NULL},
                                    {"A_ARG_TYPE_RcsID", "i4", false, NULL},
                                    {NULL, NULL, false, NULL}};

static void scpd_write(const scpd_action *actions, const scpd_var *vars, cu_buf *out)
{
    cu_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                     "<scpd xmlns=\"urn:schemas-upnp-org:service-1-0\">"
                     "<specVersion><major>1</major><minor>0</minor></specVersion><actionList>");
    for (const scpd_action *a = actions; a->name; a++) {
        cu_buf_printf(out, "<action><name>%s</name><argumentList>", a->name);
        for (const scpd_arg *g = a->args; g->name; g++)
            cu_buf_printf(out,
                          "<argument><name>%s</name><direction>%s</direction>"
                          "<relatedStateVariable>%s</relatedStateVariable></argument>",
                          g->name, g->out ? "out" : "in", g->var);
        cu_buf_puts(out, "</argumentList></action>");
    }
    cu_buf_puts(out, "</actionList><serviceStateTable>");
    for (const scpd_var *v = vars; v->name; v++) {
        cu_buf_printf(out,
                      "<stateVariable sendEvents=\"%s\"><name>%s</name>"
                      "<dataType>%s</dataType>",
                      v->events ? "yes" : "no", v->name, v->type);
        if (v->allowed) {
            cu_buf_puts(out, "<allowedValueList>");
            for (const char *const *x = v->allowed; *x; x++)
                cu_buf_printf(out, "<allowedValue>%s</allowedValue>", *x);
            cu_buf_puts(out, "</allowedValueList>");
        }
        cu_buf_puts(out, "</stateVariable>");
    }
    cu_buf_puts(out, "</serviceStateTable></scpd>\r\n");
}

void dl_desc_scpd(bool cds, cu_buf *out)
{
    scpd_write(cds ? cds_actions : cms_actions, cds ? cds_vars : cms_vars, out);
}
