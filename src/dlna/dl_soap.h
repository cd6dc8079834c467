/* dl_soap: SOAP 1.1 control requests (UDA 1.1 section 3) in, replies and
 * faults out. Parsed with libxml2 under a strict profile: no network
 * (XML_PARSE_NONET), no entity substitution, and any document with a DTD
 * refused before and after parsing (no entity declarations can exist, so
 * no billion laughs and no external entities). Bodies are capped by the
 * HTTP core (DL_SOAP_BODY_MAX); arguments by count and length. Fuzzed
 * (tests/fuzz/fuzz_soap.c). */
#ifndef DL_SOAP_H
#define DL_SOAP_H

#include <stddef.h>

#include "util/cu_buf.h"
#include "util/cu_err.h"

#define DL_SOAP_BODY_MAX (64 * 1024)
#define DL_SOAP_ARGS 16
#define DL_SOAP_ARG_MAX 8192 /* bytes of one argument's text */

typedef struct dl_soap_arg {
    char name[64];
    char *value; /* malloc'd, NUL-terminated */
} dl_soap_param;

typedef struct dl_soap_call {
    char service[128]; /* the action element's namespace */
    char action[64];
    dl_soap_param args[DL_SOAP_ARGS];
    size_t arg_count;
} dl_soap_call;

/* 0, or CU_EPARSE / CU_ELIMIT with err set. Clear *out afterwards in
 * every case. */
int dl_soap_parse(const char *body, size_t len, dl_soap_call *out, cu_err *err);
void dl_soap_call_clear(dl_soap_call *call);
/* An argument's value, or NULL when absent. */
const char *dl_soap_arg(const dl_soap_call *call, const char *name);

/* Appends s with &, <, >, " and ' escaped (and control bytes other than
 * tab, LF and CR dropped: XML 1.0 cannot carry them). */
void dl_xml_escape(cu_buf *out, const char *s);

/* A reply envelope: out gets the whole document. values: name, value
 * pairs ending in NULL (values are escaped here). */
void dl_soap_reply(cu_buf *out, const char *service, const char *action, const char *const *values);
/* A UPnPError fault document (sent with status 500). */
void dl_soap_fault(cu_buf *out, int code, const char *description);

#endif
