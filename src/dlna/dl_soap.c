/* dl_soap: SOAP control requests through libxml2, and replies. */
#include "dlna/dl_soap.h"
#include "util/cu_str.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

static const char soap_env_ns[] = "http://schemas.xmlsoap.org/soap/envelope/";

/* libxml2 reports some errors (bad encodings) through its global handlers
 * even with XML_PARSE_NOERROR; a hostile client must not fill the log. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error;
}

static bool has_dtd_markup(const char *body, size_t len)
{
    return memmem(body, len, "<!DOCTYPE", 9) || memmem(body, len, "<!ENTITY", 8) ||
           memmem(body, len, "<!doctype", 9);
}

static xmlNode *first_element(xmlNode *n)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static bool is(const xmlNode *n, const char *name, const char *ns)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) &&
           (!ns || (n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns)));
}

int dl_soap_parse(const char *body, size_t len, dl_soap_call *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (len > DL_SOAP_BODY_MAX)
        return cu_err_set(err, CU_ELIMIT, "SOAP body larger than %d bytes", DL_SOAP_BODY_MAX);
    if (len == 0 || has_dtd_markup(body, len))
        return cu_err_set(err, CU_EPARSE, "not a SOAP request (empty, or with a DTD)");
    int rc = CU_EPARSE;
    /* The handlers are per thread in libxml2: set on the calling one. */
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlDoc *doc = xmlReadMemory(body, (int)len, "soap.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_NOCDATA);
    if (!doc) {
        cu_err_set(err, CU_EPARSE, "malformed XML");
        goto done;
    }
    if (doc->intSubset || doc->extSubset) {
        cu_err_set(err, CU_EPARSE, "a DTD is not accepted");
        goto done;
    }
    xmlNode *env = xmlDocGetRootElement(doc);
    if (!is(env, "Envelope", soap_env_ns)) {
        cu_err_set(err, CU_EPARSE, "no SOAP Envelope");
        goto done;
    }
    xmlNode *bodyel = NULL;
    for (xmlNode *n = first_element(env->children); n; n = first_element(n->next))
        if (is(n, "Body", soap_env_ns)) {
            bodyel = n;
            break;
        }
    xmlNode *action = bodyel ? first_element(bodyel->children) : NULL;
    if (!action || !action->ns || !action->ns->href) {
        cu_err_set(err, CU_EPARSE, "no action in the SOAP Body");
        goto done;
    }
    if (strlen((const char *)action->name) >= sizeof out->action ||
        strlen((const char *)action->ns->href) >= sizeof out->service) {
        cu_err_set(err, CU_ELIMIT, "action name too long");
        goto done;
    }
    strcpy(out->action, (const char *)action->name);
    strcpy(out->service, (const char *)action->ns->href);
    for (xmlNode *a = first_element(action->children); a; a = first_element(a->next)) {
        if (out->arg_count == DL_SOAP_ARGS) {
            cu_err_set(err, CU_ELIMIT, "more than %d arguments", DL_SOAP_ARGS);
            rc = CU_ELIMIT;
            goto done;
        }
        if (strlen((const char *)a->name) >= sizeof out->args[0].name) {
            cu_err_set(err, CU_ELIMIT, "argument name too long");
            rc = CU_ELIMIT;
            goto done;
        }
        /* Arguments are plain text; an element inside one is refused
         * rather than flattened. */
        for (xmlNode *c = a->children; c; c = c->next)
            if (c->type != XML_TEXT_NODE) {
                cu_err_set(err, CU_EPARSE, "argument %s is not text", (const char *)a->name);
                goto done;
            }
        xmlChar *text = xmlNodeGetContent(a);
        size_t tl = text ? strlen((const char *)text) : 0;
        if (tl > DL_SOAP_ARG_MAX) {
            xmlFree(text);
            cu_err_set(err, CU_ELIMIT, "argument %s too long", (const char *)a->name);
            rc = CU_ELIMIT;
            goto done;
        }
        dl_soap_param *arg = &out->args[out->arg_count++];
        strcpy(arg->name, (const char *)a->name);
        arg->value = cu_xstrdup(text ? (const char *)text : "");
        xmlFree(text);
    }
    rc = 0;
done:
    xmlFreeDoc(doc);
    return rc;
}

void dl_soap_call_clear(dl_soap_call *call)
{
    for (size_t i = 0; i < call->arg_count; i++)
        free(call->args[i].value);
    memset(call, 0, sizeof *call);
}

const char *dl_soap_arg(const dl_soap_call *call, const char *name)
{
    for (size_t i = 0; i < call->arg_count; i++)
        if (!strcmp(call->args[i].name, name))
            return call->args[i].value;
    return NULL;
}

void dl_xml_escape(cu_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        /* A run of characters that need nothing goes in at once: every
         * Browse reply escapes its whole DIDL-Lite document again. */
        const unsigned char *run = p;
        while (*p && *p != '&' && *p != '<' && *p != '>' && *p != '"' && *p != '\'' &&
               (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        if (p > run)
            cu_buf_append(out, run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '&': cu_buf_puts(out, "&amp;"); break;
        case '<': cu_buf_puts(out, "&lt;"); break;
        case '>': cu_buf_puts(out, "&gt;"); break;
        case '"': cu_buf_puts(out, "&quot;"); break;
        case '\'': cu_buf_puts(out, "&apos;"); break;
        default: break; /* other control characters are not allowed in XML 1.0 */
        }
        p++;
    }
}

static const char envelope_head[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
    " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>";
static const char envelope_tail[] = "</s:Body></s:Envelope>\r\n";

void dl_soap_reply(cu_buf *out, const char *service, const char *action, const char *const *values)
{
    cu_buf_puts(out, envelope_head);
    cu_buf_printf(out, "<u:%sResponse xmlns:u=\"", action);
    dl_xml_escape(out, service);
    cu_buf_puts(out, "\">");
    for (size_t i = 0; values && values[i]; i += 2) {
        cu_buf_printf(out, "<%s>", values[i]);
        dl_xml_escape(out, values[i + 1]);
        cu_buf_printf(out, "</%s>", values[i]);
    }
    cu_buf_printf(out, "</u:%sResponse>", action);
    cu_buf_puts(out, envelope_tail);
}

void dl_soap_fault(cu_buf *out, int code, const char *description)
{
    cu_buf_puts(out, envelope_head);
    cu_buf_printf(out,
                  "<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
                  "<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">"
                  "<errorCode>%d</errorCode><errorDescription>",
                  code);
    dl_xml_escape(out, description);
    cu_buf_puts(out, "</errorDescription></UPnPError></detail></s:Fault>");
    cu_buf_puts(out, envelope_tail);
}
