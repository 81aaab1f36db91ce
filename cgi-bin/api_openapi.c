/* api_openapi.c: the OpenAPI 3.1 document, paths generated from the routing table */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */

#include "api.h"

extern const char *const api_schema_text;

/* The JSON Schema of one declared parameter. */
static json_t *
api_param_schema(const struct api_pdef *d, int *bad)
{
	json_t *s = json_object(), *e;
	int k;

	switch (d->type) {
	case API_P_INT:
		api_set(bad, s, "type", json_string("integer"));
		api_set(bad, s, "minimum", json_integer((json_int_t)d->min));
		api_set(bad, s, "maximum", json_integer((json_int_t)d->max));
		break;
	case API_P_PATHID:
		api_set(bad, s, "type", json_string("integer"));
		api_set(bad, s, "not", json_pack("{s:i}", "const", 0));
		break;
	case API_P_NUMBER:
		api_set(bad, s, "type", json_string("number"));
		api_set(bad, s, "minimum", json_real(d->min));
		api_set(bad, s, "maximum", json_real(d->max));
		break;
	case API_P_DATE:
		api_set(bad, s, "type", json_string("string"));
		api_set(bad, s, "format", json_string("date"));
		break;
	case API_P_ENUM:
		e = json_array();
		for (k = 0; d->choices[k] != NULL; k++)
			api_append(bad, e, json_string(d->choices[k]));
		api_set(bad, s, "type", json_string("string"));
		api_set(bad, s, "enum", e);
		break;
	case API_P_STRING:
		api_set(bad, s, "type", json_string("string"));
		api_set(bad, s, "maxLength", json_integer((json_int_t)d->max));
		break;
	case API_P_CURSOR:
		api_set(bad, s, "type", json_string("string"));
		api_set(bad, s, "pattern", json_string("^[A-Za-z0-9_-]+$"));
		break;
	case API_P_KEYS:
		e = json_array();
		for (k = 0; d->choices[k] != NULL; k++)
			api_append(bad, e, json_string(d->choices[k]));
		api_set(bad, s, "type", json_string("array"));
		api_set(bad, s, "items",
		        json_pack("{s:s,s:o}", "type", "string", "enum", e));
		break;
	case API_P_INTLIST:
		api_set(bad, s, "type", json_string("array"));
		api_set(bad, s, "maxItems", json_integer(API_LIST_MAX));
		api_set(bad, s, "items",
		        json_pack("{s:s,s:I,s:I}", "type", "integer", "minimum",
		                  (json_int_t)d->min, "maximum",
		                  (json_int_t)d->max));
		break;
	case API_P_PERIOD:
		api_set(bad, s, "type", json_string("string"));
		api_set(
		    bad, s, "pattern",
		    json_string("^(all|year:[0-9]{4}|days:[1-9][0-9]{0,3})$"));
		api_set(
		    bad, s, "x-days-range",
		    json_pack("[I,I]", (json_int_t)d->min, (json_int_t)d->max));
		break;
	}
	if (d->def != NULL)
		api_set(bad, s, "default", json_string(d->def));
	return s;
}

static json_t *
api_error_resp(const char *what)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", what,
	                 "content", "application/json", "schema", "$ref",
	                 "#/components/schemas/Error");
}

/* The operation of one method of route r: "get", "put" or "post". PUT
 * (settings) takes a SettingChange and answers <schema>Put; POST takes
 * <schema>Request and answers <schema>. */
static json_t *
api_operation(const struct api_route *r, const char *method, int *bad)
{
	json_t *op = json_object(), *ps = json_array(), *resp = json_object();
	json_t *ok;
	char ref[96];
	int i, put = strcmp(method, "put") == 0, post = !put && *method == 'p';

	api_set(bad, op, "summary", json_string(r->summary));
	api_set(bad, op, "operationId",
	        json_sprintf("%s_%s", method, api_route_name(r)));
	for (i = 0; r->params != NULL && r->params[i] != P__MAX; i++) {
		const struct api_pdef *d = &api_pdefs[r->params[i]];
		json_t *p = json_object();

		api_set(bad, p, "name", json_string(d->name));
		api_set(
		    bad, p, "in",
		    json_string(d->type == API_P_PATHID ? "path" : "query"));
		api_set(bad, p, "required", json_boolean(d->required));
		api_set(bad, p, "description", json_string(d->doc));
		api_set(bad, p, "schema", api_param_schema(d, bad));

		if (d->type == API_P_KEYS || d->type == API_P_INTLIST) {
			api_set(bad, p, "style", json_string("form"));
			api_set(bad, p, "explode", json_false());
		}
		api_append(bad, ps, p);
	}
	api_set(bad, op, "parameters", ps);
	if (r->schema != NULL) {
		snprintf(ref, sizeof(ref), "#/components/schemas/%s%s",
		         r->schema, put ? "Put" : "");
		ok = json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
		               "the answer", "content", "application/json",
		               "schema", "$ref", ref);
		if (r->flags & API_F_CSV)
			api_set(
			    bad, json_object_get(ok, "content"), "text/csv",
			    json_pack("{s:{s:s}}", "schema", "type", "string"));
	} else if (r->flags & API_F_XMLFILE) {
		ok = json_pack(
		    "{s:s,s:{s:{s:{s:s}},s:{s:{s:s}}}}", "description",
		    "the file, as an attachment (Content-Disposition)",
		    "content", "application/gpx+xml", "schema", "type",
		    "string", "application/vnd.garmin.tcx+xml", "schema",
		    "type", "string");
	} else if (r->flags & API_F_ZIPFILE) {
		ok = json_pack("{s:s,s:{s:{s:{s:s,s:s}}}}", "description",
		               "the archive, as an attachment, streamed (no "
		               "Content-Length)",
		               "content", "application/zip", "schema", "type",
		               "string", "format", "binary");
	} else {
		ok = json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
		               "this document", "content", "application/json",
		               "schema", "type", "object");
	}
	if (post && (r->flags & API_F_QUEUE)) {
		/* queued for the ETL: 202; a sync already queued: 200 */
		if (!(r->flags & API_F_UPLOAD))
			api_set(bad, resp, "200", json_deep_copy(ok));
		api_set(bad, ok, "description",
		        json_string("queued for the ETL"));
		api_set(bad, resp, "202", ok);
	} else {
		api_set(bad, resp, "200", ok);
	}
	if (r->flags & API_F_ETAG)
		api_set(bad, resp, "304",
		        json_pack("{s:s}", "description",
		                  "not modified (If-None-Match)"));
	api_set(bad, resp, "400", api_error_resp("invalid parameter"));
	api_set(bad, resp, "404",
	        api_error_resp("no such route, activity or athlete"));
	api_set(bad, resp, "503",
	        api_error_resp("database unavailable (Retry-After)"));
	if (post && !(r->flags & API_F_QUEUE))
		api_set(bad, resp, "409",
		        api_error_resp("nothing to apply (no_model)"));
	if (post && (r->flags & API_F_UPLOAD)) {
		api_set(bad, op, "requestBody",
		        json_pack("{s:b,s:{s:{s:{s:s,s:s}}}}", "required", 1,
		                  "content", "application/octet-stream",
		                  "schema", "type", "string", "format",
		                  "binary"));
		api_set(bad, resp, "413",
		        api_error_resp("larger than upload_max_mb"));
		api_set(bad, resp, "415",
		        api_error_resp("not application/octet-stream"));
	} else if (put || post) {
		/* the settings' body predates the <Schema>Request names */
		if (put && strcmp(r->schema, "Settings") == 0)
			snprintf(ref, sizeof(ref),
			         "#/components/schemas/SettingChange");
		else
			snprintf(ref, sizeof(ref),
			         "#/components/schemas/%sRequest", r->schema);
		api_set(bad, op, "requestBody",
		        json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1,
		                  "content", "application/json", "schema",
		                  "$ref", ref));
		api_set(bad, resp, "413", api_error_resp("body too large"));
		api_set(bad, resp, "415",
		        api_error_resp("not application/json"));
	}
	api_set(bad, op, "responses", resp);
	return op;
}

json_t *
api_openapi(void)
{
	json_t *doc, *paths = json_object(), *schemas;
	json_error_t je;
	size_t r;
	int failed = 0, *bad = &failed;

	schemas = json_loads(api_schema_text, 0, &je);
	if (schemas == NULL) {
		fprintf(stderr, "cairn-api: schema text line %d: %s\n", je.line,
		        je.text);
		json_decref(paths);
		return NULL;
	}
	for (r = 0; r < api_nroutes; r++) {
		const struct api_route *rt = &api_routes[r];
		json_t *item;

		/* The document describes the versioned API; /auth/ and the
		 * webhook are the browser's and Strava's (docs/API.md). */
		if (api_route_name(rt) == rt->path)
			continue;
		item = json_object();
		if (rt->get != NULL)
			api_set(bad, item, "get",
			        api_operation(rt, "get", bad));
		if (rt->put != NULL)
			api_set(bad, item, "put",
			        api_operation(rt, "put", bad));
		if (rt->post != NULL)
			api_set(bad, item, "post",
			        api_operation(rt, "post", bad));
		api_set(bad, paths, rt->path, item);
	}
	doc = json_pack(
	    "{s:s,s:{s:s,s:s,s:s},s:o,s:{s:o}}", "openapi", "3.1.0", "info",
	    "title", "Cairn API", "version", "1.0.0", "description",
	    "Training analytics from the Cairn marts. SI units (m, s, W, "
	    "m/s, bpm); dates are ISO 8601 in the athlete's local calendar. "
	    "An empty parameter counts as absent; unknown, repeated or "
	    "invalid parameters answer 400. Answers carry an ETag "
	    "(Cache-Control: private, no-cache); If-None-Match answers 304.",
	    "paths", paths, "components", "schemas", schemas);
	if (failed) {
		fprintf(stderr,
		        "cairn-api: cannot build the OpenAPI document\n");
		json_decref(doc);
		return NULL;
	}
	return doc;
}
