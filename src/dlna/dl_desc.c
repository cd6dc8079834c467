/* dl_desc: the device description (UDA 1.1 section 2) and the service
 * descriptions (SCPD) of ContentDirectory:1 and ConnectionManager:1, with
 * exactly the actions dl_cds and dl_cms answer. */
#include "dlna/dl_internal.h"
#include "dlna/dl_soap.h"

void dl_desc_device(const dl_server *dl, cu_buf *out)
{
    cu_buf_puts(out,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                "<root xmlns=\"urn:schemas-upnp-org:device-1-0\""
                " xmlns:dlna=\"urn:schemas-dlna-org:device-1-0\""
                " xmlns:sec=\"http://www.sec.co.kr/dlna\">"
                "<specVersion><major>1</major><minor>0</minor></specVersion>"
                "<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>"
                "<dlna:X_DLNADOC xmlns:dlna=\"urn:schemas-dlna-org:device-1-0\">DMS-1.50</dlna:X_DLNADOC>"
                "<friendlyName>");
    dl_xml_escape(out, dl->name);
    cu_buf_puts(out,
                "</friendlyName><manufacturer>cinemateca</manufacturer>"
                "<manufacturerURL>https://example.invalid/cinemateca</manufacturerURL>"
                "<modelDescription>cinemateca film library</modelDescription>"
                "<modelName>cinemateca</modelName><modelNumber>" CINEMATECA_VERSION
                "</modelNumber><serialNumber>1</serialNumber><UDN>");
    dl_xml_escape(out, dl->uuid);
    cu_buf_puts(out,
                "</UDN><sec:ProductCap>smi,DCM10,getMediaInfo.sec,getCaptionInfo.sec</sec:ProductCap>"
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

#define ARG(name, dir, var)                                                                   \
    "<argument><name>" name "</name><direction>" dir "</direction>"                           \
    "<relatedStateVariable>" var "</relatedStateVariable></argument>"
#define VAR(name, type, events)                                                               \
    "<stateVariable sendEvents=\"" events "\"><name>" name "</name><dataType>" type           \
    "</dataType></stateVariable>"
#define SCPD_HEAD                                                                             \
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"                                          \
    "<scpd xmlns=\"urn:schemas-upnp-org:service-1-0\">"                                       \
    "<specVersion><major>1</major><minor>0</minor></specVersion><actionList>"

const char dl_desc_cds_scpd[] =
    SCPD_HEAD
    "<action><name>GetSearchCapabilities</name><argumentList>"
    ARG("SearchCaps", "out", "SearchCapabilities") "</argumentList></action>"
    "<action><name>GetSortCapabilities</name><argumentList>"
    ARG("SortCaps", "out", "SortCapabilities") "</argumentList></action>"
    "<action><name>GetSystemUpdateID</name><argumentList>"
    ARG("Id", "out", "SystemUpdateID") "</argumentList></action>"
    "<action><name>Browse</name><argumentList>"
    ARG("ObjectID", "in", "A_ARG_TYPE_ObjectID")
    ARG("BrowseFlag", "in", "A_ARG_TYPE_BrowseFlag")
    ARG("Filter", "in", "A_ARG_TYPE_Filter")
    ARG("StartingIndex", "in", "A_ARG_TYPE_Index")
    ARG("RequestedCount", "in", "A_ARG_TYPE_Count")
    ARG("SortCriteria", "in", "A_ARG_TYPE_SortCriteria")
    ARG("Result", "out", "A_ARG_TYPE_Result")
    ARG("NumberReturned", "out", "A_ARG_TYPE_Count")
    ARG("TotalMatches", "out", "A_ARG_TYPE_Count")
    ARG("UpdateID", "out", "A_ARG_TYPE_UpdateID") "</argumentList></action>"
    "<action><name>Search</name><argumentList>"
    ARG("ContainerID", "in", "A_ARG_TYPE_ObjectID")
    ARG("SearchCriteria", "in", "A_ARG_TYPE_SearchCriteria")
    ARG("Filter", "in", "A_ARG_TYPE_Filter")
    ARG("StartingIndex", "in", "A_ARG_TYPE_Index")
    ARG("RequestedCount", "in", "A_ARG_TYPE_Count")
    ARG("SortCriteria", "in", "A_ARG_TYPE_SortCriteria")
    ARG("Result", "out", "A_ARG_TYPE_Result")
    ARG("NumberReturned", "out", "A_ARG_TYPE_Count")
    ARG("TotalMatches", "out", "A_ARG_TYPE_Count")
    ARG("UpdateID", "out", "A_ARG_TYPE_UpdateID") "</argumentList></action>"
    "<action><name>X_GetFeatureList</name><argumentList>"
    ARG("FeatureList", "out", "A_ARG_TYPE_Featurelist") "</argumentList></action>"
    "<action><name>X_SetBookmark</name><argumentList>"
    ARG("CategoryType", "in", "A_ARG_TYPE_CategoryType")
    ARG("RID", "in", "A_ARG_TYPE_RID")
    ARG("ObjectID", "in", "A_ARG_TYPE_ObjectID")
    ARG("PosSecond", "in", "A_ARG_TYPE_PosSec") "</argumentList></action>"
    "</actionList><serviceStateTable>"
    VAR("SearchCapabilities", "string", "no")
    VAR("SortCapabilities", "string", "no")
    VAR("SystemUpdateID", "ui4", "yes")
    VAR("A_ARG_TYPE_ObjectID", "string", "no")
    "<stateVariable sendEvents=\"no\"><name>A_ARG_TYPE_BrowseFlag</name><dataType>string</dataType>"
    "<allowedValueList><allowedValue>BrowseMetadata</allowedValue>"
    "<allowedValue>BrowseDirectChildren</allowedValue></allowedValueList></stateVariable>"
    VAR("A_ARG_TYPE_Filter", "string", "no")
    VAR("A_ARG_TYPE_Index", "ui4", "no")
    VAR("A_ARG_TYPE_Count", "ui4", "no")
    VAR("A_ARG_TYPE_SortCriteria", "string", "no")
    VAR("A_ARG_TYPE_SearchCriteria", "string", "no")
    VAR("A_ARG_TYPE_Result", "string", "no")
    VAR("A_ARG_TYPE_UpdateID", "ui4", "no")
    VAR("A_ARG_TYPE_Featurelist", "string", "no")
    VAR("A_ARG_TYPE_CategoryType", "ui4", "no")
    VAR("A_ARG_TYPE_RID", "ui4", "no")
    VAR("A_ARG_TYPE_PosSec", "ui4", "no")
    "</serviceStateTable></scpd>\r\n";

const char dl_desc_cms_scpd[] =
    SCPD_HEAD
    "<action><name>GetProtocolInfo</name><argumentList>"
    ARG("Source", "out", "SourceProtocolInfo")
    ARG("Sink", "out", "SinkProtocolInfo") "</argumentList></action>"
    "<action><name>GetCurrentConnectionIDs</name><argumentList>"
    ARG("ConnectionIDs", "out", "CurrentConnectionIDs") "</argumentList></action>"
    "<action><name>GetCurrentConnectionInfo</name><argumentList>"
    ARG("ConnectionID", "in", "A_ARG_TYPE_ConnectionID")
    ARG("RcsID", "out", "A_ARG_TYPE_RcsID")
    ARG("AVTransportID", "out", "A_ARG_TYPE_AVTransportID")
    ARG("ProtocolInfo", "out", "A_ARG_TYPE_ProtocolInfo")
    ARG("PeerConnectionManager", "out", "A_ARG_TYPE_ConnectionManager")
    ARG("PeerConnectionID", "out", "A_ARG_TYPE_ConnectionID")
    ARG("Direction", "out", "A_ARG_TYPE_Direction")
    ARG("Status", "out", "A_ARG_TYPE_ConnectionStatus") "</argumentList></action>"
    "</actionList><serviceStateTable>"
    VAR("SourceProtocolInfo", "string", "yes")
    VAR("SinkProtocolInfo", "string", "yes")
    VAR("CurrentConnectionIDs", "string", "yes")
    "<stateVariable sendEvents=\"no\"><name>A_ARG_TYPE_ConnectionStatus</name><dataType>string</dataType>"
    "<allowedValueList><allowedValue>OK</allowedValue><allowedValue>ContentFormatMismatch</allowedValue>"
    "<allowedValue>InsufficientBandwidth</allowedValue><allowedValue>UnreliableChannel</allowedValue>"
    "<allowedValue>Unknown</allowedValue></allowedValueList></stateVariable>"
    VAR("A_ARG_TYPE_ConnectionManager", "string", "no")
    "<stateVariable sendEvents=\"no\"><name>A_ARG_TYPE_Direction</name><dataType>string</dataType>"
    "<allowedValueList><allowedValue>Input</allowedValue><allowedValue>Output</allowedValue>"
    "</allowedValueList></stateVariable>"
    VAR("A_ARG_TYPE_ProtocolInfo", "string", "no")
    VAR("A_ARG_TYPE_ConnectionID", "i4", "no")
    VAR("A_ARG_TYPE_AVTransportID", "i4", "no")
    VAR("A_ARG_TYPE_RcsID", "i4", "no")
    "</serviceStateTable></scpd>\r\n";
