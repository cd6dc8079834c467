/* cli_json: the JSON encoders moved to server/cs_json.h (shared by the CLI
 * and the HTTP API). These names remain only until the code still using
 * them switches over; new code includes server/cs_json.h. */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include "server/cs_json.h"

#define cli_json_text cs_json_text
#define cli_json_text_or_null cs_json_text_or_null
#define cli_json_file cs_json_file
#define cli_json_film_summary cs_json_film_summary
#define cli_json_film cs_json_film
#define cli_json_person cs_json_person

#endif
