/* cl_facts: media's probe result as the catalog stores it. The catalog
 * owns plain structs for a file's streams and chapters (cc_stream.h) and
 * knows nothing of media; this is the one place that copies one into the
 * other, field by field. */
#ifndef CL_FACTS_H
#define CL_FACTS_H

#include "catalog/cc_file.h"
#include "media/cm_media.h"

/* Fills *out from info (NULL: *out is zeroed and NULL is returned, for a
 * file whose probe failed). The streams and chapters are malloc'd (free
 * with cl_facts_clear); the tags are info's, so info must outlive *out.
 * Returns out, or NULL for no info. */
const cc_file_facts *cl_facts_from_probe(const cm_media_info *info, cc_file_facts *out);
void cl_facts_clear(cc_file_facts *facts);

/* One stream, as the catalog stores it. */
void cl_facts_stream(const cm_media_stream *in, cc_stream *out);

#endif
