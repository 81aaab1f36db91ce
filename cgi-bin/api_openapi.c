/* api_openapi.c: the OpenAPI 3.1 document, paths generated from the routing table */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */

#include "api.h"

extern const char *const api_schema_text;

/* The JSON Schema of one declared parameter. */
static json_t *
api_param_schema(const struct api_pdef *d)
{
	json_t *s = json_object(), *e;
	int k;

	switch (d->type) {
	case API_P_INT:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "minimum",
		                    json_integer((json_int_t)d->min));
		json_object_set_new(s, "maximum",
		                    json_integer((json_int_t)d->max));
		break;
	case API_P_PATHID:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "not", json_pack("{s:i}", "const", 0));
		break;
	case API_P_NUMBER:
		json_object_set_new(s, "type", json_string("number"));
		json_object_set_new(s, "minimum", json_real(d->min));
		json_object_set_new(s, "maximum", json_real(d->max));
		break;
	case API_P_DATE:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("date"));
		break;
	case API_P_ENUM:
		e = json_array();
		for (k = 0; d->choices[k] != NULL; k++)
			json_array_append_new(e, json_string(d->choices[k]));
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "enum", e);
		break;
	case API_P_STRING:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "maxLength",
		                    json_integer((json_int_t)d->max));
		break;
	case API_P_CURSOR:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "pattern",
		                    json_string("^[A-Za-z0-9_-]+$"));
		break;
	case API_P_KEYS:
		e = json_array();
		for (k = 0; d->choices[k] != NULL; k++)
			json_array_append_new(e, json_string(d->choices[k]));
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(
		    s, "items",
		    json_pack("{s:s,s:o}", "type", "string", "enum", e));
		break;
	case API_P_INTLIST:
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(s, "maxItems", json_integer(API_LIST_MAX));
		json_object_set_new(s, "items",
		                    json_pack("{s:s,s:I,s:I}", "type",
		                              "integer", "minimum",
		                              (json_int_t)d->min, "maximum",
		                              (json_int_t)d->max));
		break;
	case API_P_PERIOD:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(
		    s, "pattern",
		    json_string("^(all|year:[0-9]{4}|days:[1-9][0-9]{0,3})$"));
		json_object_set_new(
		    s, "x-days-range",
		    json_pack("[I,I]", (json_int_t)d->min, (json_int_t)d->max));
		break;
	}
	if (d->def != NULL)
		json_object_set_new(s, "default", json_string(d->def));
	return s;
}

static json_t *
api_error_resp(const char *what)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", what,
	                 "content", "application/json", "schema", "$ref",
	                 "#/components/schemas/Error");
}

static json_t *
api_operation(const struct api_route *r, int put)
{
	json_t *op = json_object(), *ps = json_array(), *resp = json_object();
	json_t *ok;
	char ref[96];
	int i;

	json_object_set_new(op, "summary", json_string(r->summary));
	json_object_set_new(
	    op, "operationId",
	    json_sprintf("%s_%s", put ? "put" : "get", api_route_name(r)));
	for (i = 0; r->params != NULL && r->params[i] != P__MAX; i++) {
		const struct api_pdef *d = &api_pdefs[r->params[i]];
		json_t *p =
		    json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", d->name, "in",
		              d->type == API_P_PATHID ? "path" : "query",
		              "required", d->required, "description", d->doc,
		              "schema", api_param_schema(d));

		if (d->type == API_P_KEYS || d->type == API_P_INTLIST) {
			json_object_set_new(p, "style", json_string("form"));
			json_object_set_new(p, "explode", json_false());
		}
		json_array_append_new(ps, p);
	}
	json_object_set_new(op, "parameters", ps);
	if (r->schema != NULL) {
		snprintf(ref, sizeof(ref), "#/components/schemas/%s%s",
		         r->schema, put ? "Put" : "");
		ok = json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
		               "the answer", "content", "application/json",
		               "schema", "$ref", ref);
		if (r->flags & API_F_CSV)
			json_object_set_new(
			    json_object_get(ok, "content"), "text/csv",
			    json_pack("{s:{s:s}}", "schema", "type", "string"));
	} else {
		ok = json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
		               "this document", "content", "application/json",
		               "schema", "type", "object");
	}
	json_object_set_new(resp, "200", ok);
	if (r->flags & API_F_ETAG)
		json_object_set_new(resp, "304",
		                    json_pack("{s:s}", "description",
		                              "not modified (If-None-Match)"));
	json_object_set_new(resp, "400", api_error_resp("invalid parameter"));
	json_object_set_new(
	    resp, "404", api_error_resp("no such route, activity or athlete"));
	json_object_set_new(
	    resp, "503", api_error_resp("database unavailable (Retry-After)"));
	if (put) {
		json_object_set_new(
		    op, "requestBody",
		    json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content",
		              "application/json", "schema", "$ref",
		              "#/components/schemas/SettingChange"));
		json_object_set_new(resp, "413",
		                    api_error_resp("body too large"));
		json_object_set_new(resp, "415",
		                    api_error_resp("not application/json"));
	}
	json_object_set_new(op, "responses", resp);
	return op;
}

json_t *
api_openapi(void)
{
	json_t *doc, *paths = json_object(), *schemas;
	json_error_t je;
	size_t r;

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
		json_object_set_new(item, "get", api_operation(rt, 0));
		if (rt->put != NULL)
			json_object_set_new(item, "put", api_operation(rt, 1));
		json_object_set_new(paths, rt->path, item);
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
	return doc;
}
