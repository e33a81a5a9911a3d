/// The API's description, OpenAPI 3.1, served at `/openapi.yaml`.
public enum OpenAPIDocument {
    /// The YAML text.
    public static let text = #"""
openapi: 3.1.0
info:
  title: WormWatch Watch Center
  version: "1"
  summary: Gathers sensors' reports of worm activity and serves what they saw.
  description: |
    Sensors push batches of NDJSON lines (`wormwatch.event/1` detections and
    `wormwatch.observation/1` monitor counts). A batch is applied whole or not at all, once per
    Idempotency-Key, and is durable when acknowledged. Everything that changes data needs a
    sensor's bearer token; reading does not. Times are ISO 8601 UTC; addresses dotted quads.
  license:
    name: See the repository
servers:
  - url: http://127.0.0.1:8080
components:
  securitySchemes:
    sensorToken:
      type: http
      scheme: bearer
      description: The token `wormwatch sensor add` printed once.
  parameters:
    family:
      name: family
      in: query
      required: false
      description: One worm family (code-red-v2); all when absent.
      schema: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
    sensor:
      name: sensor
      in: query
      required: false
      description: One sensor by name; all sensors together when absent.
      schema: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
  schemas:
    Assessment:
      type: object
      required: [family, level, colour, since, reasons, monitored_addresses, sensors, basis, sources_seen, infected, growth_per_hour, forecast]
      properties:
        family: {type: string}
        level: {enum: [quiet, watch, active]}
        colour: {enum: [green, yellow, red]}
        since: {type: [string, "null"], format: date-time}
        reasons: {type: array, items: {type: string}}
        monitored_addresses: {type: integer}
        sensors: {type: integer}
        basis: {type: string, description: "Whose counts: all sensors, or the largest sensor alone when sources are counted but never named."}
        sources_seen: {type: integer}
        infected: {type: [object, "null"], description: "Zou et al.'s bias-corrected estimate with its 90 % band and the probe rate per host."}
        growth_per_hour: {type: [number, "null"]}
        forecast: {type: [object, "null"], description: "Final size and times to 50 % and 90 %, each a median with a 90 % band."}
    Error:
      type: object
      required: [format, error]
      properties:
        format: {const: wormwatch.error/1}
        error:
          type: object
          required: [status, code, message]
          properties:
            status: {type: integer}
            code:
              type: string
              description: >-
                missing_token, unknown_token, sensor_revoked, missing_idempotency_key,
                invalid_idempotency_key, idempotency_key_reused, rate_limited, body_timeout,
                body_too_large, too_many_lines, empty_batch, malformed_json, missing_field,
                wrong_type, invalid_value, time_out_of_range, not_utf8, invalid_parameter,
                unknown_sensor, store_unavailable, store_failed
            message: {type: string}
            line: {type: integer, description: The 1-based line of the body at fault.}
            field: {type: string, description: The JSON field or query parameter at fault.}
    Receipt:
      type: object
      required: [format, batch, events, observations, new_sources, received]
      properties:
        format: {const: wormwatch.receipt/1}
        batch: {type: string, description: The Idempotency-Key.}
        events: {type: integer}
        observations: {type: integer}
        new_sources: {type: integer, description: Sources this batch made known for the first time.}
        received: {type: string, format: date-time}
    Sensor:
      type: object
      required: [name, monitors, monitored_addresses, created, revoked, last_batch, batches, events, observations, silent_since]
      properties:
        name: {type: string}
        monitors: {type: array, items: {type: string, description: CIDR prefix}}
        monitored_addresses: {type: integer}
        created: {type: string, format: date-time}
        revoked: {type: [string, "null"], format: date-time}
        last_batch: {type: [string, "null"], format: date-time}
        batches: {type: integer}
        events: {type: integer}
        observations: {type: integer}
        silent_since: {type: [string, "null"], format: date-time, description: Set when the sensor has been quiet longer than the server's threshold.}
  responses:
    BadRequest:
      description: A parameter is not acceptable.
      content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
    Unavailable:
      description: The store cannot be reached.
      content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
paths:
  /api/v1/observations:
    post:
      summary: Push a batch
      security: [{sensorToken: []}]
      parameters:
        - name: Idempotency-Key
          in: header
          required: true
          description: Names the batch; a batch sent again under its key is applied once and answered as the first time.
          schema: {type: string, minLength: 1, maxLength: 200}
      requestBody:
        required: true
        content:
          application/x-ndjson:
            schema:
              type: string
              description: |
                One JSON object a line. Detections, as `wormwatch scan --format ndjson` writes them:
                {"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","source":"192.0.2.7","destination":null,"destination_port":80,"protocol":"tcp","family":"code-red-i","rule":"code-red-i","severity":"high","evidence":"/default.ida?NNNN","input":"access.log","line":17}
                Monitor counts for an interval:
                {"format":"wormwatch.observation/1","family":"code-red-v2","start":"2001-07-19T12:00:00Z","seconds":60,"probes":5210,"distinct_sources":1204,"new_sources":[{"source":"12.34.56.78","first_seen":"2001-07-19T12:00:03.25Z"}]}
      responses:
        "200":
          description: Stored (or stored before; the Idempotent-Replayed header says so).
          headers:
            Idempotent-Replayed: {schema: {const: "true"}, description: Present when the batch was applied before.}
          content: {application/json: {schema: {$ref: "#/components/schemas/Receipt"}}}
        "400": {description: "A line is malformed, a field has the wrong type or value, a time is out of range, or the key is missing.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: "No token, or a token of no sensor.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "403": {description: "The sensor was revoked.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "408": {description: "The body did not arrive in time.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "413": {description: "The body or the line count is over the limit.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "422": {description: "The key was used before for a different body.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "429":
          description: The sensor is over its rate limit.
          headers: {Retry-After: {schema: {type: integer}, description: Seconds to wait.}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/families:
    get:
      summary: Families with data, and their totals
      responses:
        "200":
          description: The families.
          content:
            application/json:
              schema:
                type: object
                required: [format, families]
                properties:
                  format: {const: wormwatch.families/1}
                  families:
                    type: array
                    items:
                      type: object
                      required: [family, sources, events, probes, first, last]
                      properties:
                        family: {type: string}
                        sources: {type: integer}
                        events: {type: integer}
                        probes: {type: integer}
                        first: {type: string, format: date-time}
                        last: {type: string, format: date-time, description: The start of the last minute with data.}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/series:
    get:
      summary: Counts per step
      description: |
        Per step: events, probes, the largest number of distinct sources in any one minute of the
        step, sources new in the step and sources seen up to its end. Without `sensor`, all
        sensors together: a source seen by two sensors is new once. Monitor counts' distinct
        sources from several sensors are added (an upper bound). Every step in the range is present.
      parameters:
        - $ref: "#/components/parameters/family"
        - $ref: "#/components/parameters/sensor"
        - {name: from, in: query, required: false, description: "Default: 24 hours before `to`.", schema: {type: string, format: date-time}}
        - {name: to, in: query, required: false, description: "Default: the end of the last minute with data.", schema: {type: string, format: date-time}}
        - {name: step, in: query, required: false, description: "Seconds, a multiple of 60 (default 60); at most 20,000 steps.", schema: {type: integer, minimum: 60, maximum: 2592000}}
      responses:
        "200":
          description: The series.
          content:
            application/json:
              schema:
                type: object
                required: [format, family, sensor, from, to, step, points]
                properties:
                  format: {const: wormwatch.series/1}
                  family: {type: [string, "null"]}
                  sensor: {type: [string, "null"]}
                  from: {type: string, format: date-time}
                  to: {type: string, format: date-time}
                  step: {type: integer}
                  points:
                    type: array
                    items:
                      type: object
                      required: [start, events, probes, peak_minute_sources, new_sources, cumulative_sources]
                      properties:
                        start: {type: string, format: date-time}
                        events: {type: integer}
                        probes: {type: integer}
                        peak_minute_sources: {type: integer}
                        new_sources: {type: integer}
                        cumulative_sources: {type: integer}
        "400": {$ref: "#/components/responses/BadRequest"}
        "404": {description: "No such sensor.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/sources:
    get:
      summary: Sources, a page at a time
      description: Ordered by first-seen time, family and address; pass `next_cursor` back as `cursor` for the next page.
      parameters:
        - $ref: "#/components/parameters/family"
        - {name: since, in: query, required: false, description: Only sources first seen at or after this time., schema: {type: string, format: date-time}}
        - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 10000, default: 100}}
        - {name: cursor, in: query, required: false, schema: {type: string}}
      responses:
        "200":
          description: One page.
          content:
            application/json:
              schema:
                type: object
                required: [format, sources, next_cursor]
                properties:
                  format: {const: wormwatch.sources/1}
                  next_cursor: {type: [string, "null"]}
                  sources:
                    type: array
                    items:
                      type: object
                      required: [family, source, first_seen, last_seen, events, sensors]
                      properties:
                        family: {type: string}
                        source: {type: string}
                        first_seen: {type: string, format: date-time}
                        last_seen: {type: string, format: date-time}
                        events: {type: integer}
                        sensors: {type: array, items: {type: string}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/sensors:
    get:
      summary: Registered sensors (never their tokens)
      responses:
        "200":
          description: The sensors, by name.
          content:
            application/json:
              schema:
                type: object
                required: [format, sensors]
                properties:
                  format: {const: wormwatch.sensors/1}
                  sensors: {type: array, items: {$ref: "#/components/schemas/Sensor"}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/export/events.ndjson:
    get:
      summary: Stored events in a time range, as the sensors sent them (wormwatch.event/1)
      parameters:
        - {name: from, in: query, required: true, schema: {type: string, format: date-time}}
        - {name: to, in: query, required: true, schema: {type: string, format: date-time}}
        - $ref: "#/components/parameters/family"
        - $ref: "#/components/parameters/sensor"
      responses:
        "200": {description: "One event a line, by time.", content: {application/x-ndjson: {schema: {type: string}}}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "404": {description: "No such sensor.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /api/v1/export/events.csv:
    get:
      summary: Stored events in a time range, as CSV with the sensor's name
      parameters:
        - {name: from, in: query, required: true, schema: {type: string, format: date-time}}
        - {name: to, in: query, required: true, schema: {type: string, format: date-time}}
        - $ref: "#/components/parameters/family"
        - $ref: "#/components/parameters/sensor"
      responses:
        "200": {description: "A header row, then one event a row.", content: {text/csv: {schema: {type: string}}}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "404": {description: "No such sensor.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /api/v1/alerts:
    get:
      summary: Each family's alert level (quiet, watch, active), its reasons, estimate and forecast
      responses:
        "200":
          description: The highest level and one entry per family with data.
          content:
            application/json:
              schema:
                type: object
                required: [format, level, families]
                properties:
                  format: {const: wormwatch.alerts/1}
                  level: {enum: [quiet, watch, active]}
                  families: {type: array, items: {$ref: "#/components/schemas/Assessment"}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/estimates:
    get:
      summary: One family's assessment minute by minute (sources seen, bias-corrected estimate with its band, growth rate, level)
      parameters:
        - {name: family, in: query, required: true, schema: {type: string}}
        - {name: hours, in: query, required: false, description: "Points of the last N hours (default 24; the assessment itself covers up to 30 days).", schema: {type: integer, minimum: 1, maximum: 720}}
      responses:
        "200":
          description: The assessment, its level changes and one point per minute of the last `hours`.
          content:
            application/json:
              schema:
                allOf:
                  - {$ref: "#/components/schemas/Assessment"}
                  - type: object
                    required: [format, changes, points]
                    properties:
                      format: {const: wormwatch.estimates/1}
                      changes: {type: array, items: {type: object}}
                      points: {type: array, items: {type: object}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "404": {description: "No data for the family.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/top:
    get:
      summary: One family's top sources (most events, then earliest seen) and the /16 prefixes with the most sources
      description: Ten of each, read again at most once a minute while the family's data changes.
      parameters:
        - {name: family, in: query, required: true, schema: {type: string}}
      responses:
        "200":
          description: The top lists.
          content:
            application/json:
              schema:
                type: object
                required: [format, family, sources, prefixes]
                properties:
                  format: {const: wormwatch.top/1}
                  family: {type: string}
                  sources:
                    type: array
                    items:
                      type: object
                      required: [source, events, first_seen, last_seen]
                      properties:
                        source: {type: string, format: ipv4}
                        events: {type: integer}
                        first_seen: {type: string, format: date-time}
                        last_seen: {type: string, format: date-time}
                  prefixes:
                    type: array
                    items:
                      type: object
                      required: [prefix, sources]
                      properties:
                        prefix: {type: string, example: 192.0.0.0/16}
                        sources: {type: integer}
        "400": {$ref: "#/components/responses/BadRequest"}
        "404": {description: "No data for the family.", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /api/v1/advisories:
    get:
      summary: Advisories, newest first, one per change of a family's level
      responses:
        "200":
          description: The advisories.
          content:
            application/json:
              schema:
                type: object
                required: [format, advisories]
                properties:
                  format: {const: wormwatch.advisories/1}
                  advisories:
                    type: array
                    items:
                      type: object
                      required: [id, family, time, level, previous, title, paragraphs, actions]
                      properties:
                        id: {type: string}
                        family: {type: string}
                        time: {type: string, format: date-time}
                        level: {enum: [quiet, watch, active]}
                        previous: {enum: [quiet, watch, active]}
                        title: {type: string}
                        paragraphs: {type: array, items: {type: string}}
                        actions: {type: array, items: {type: string}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /advisories:
    get:
      summary: The advisories as a web page
      responses:
        "200": {description: "HTML.", content: {text/html: {schema: {type: string}}}}
  /advisories.atom:
    get:
      summary: The advisories as an Atom feed
      responses:
        "200": {description: "Atom 1.0.", content: {application/atom+xml: {schema: {type: string}}}}
  /:
    get:
      summary: The dashboard (HTML with inline SVG charts; updates itself from /dashboard/stream)
      responses:
        "200": {description: "HTML.", content: {text/html: {schema: {type: string}}}}
  /dashboard/stream:
    get:
      summary: Server-sent events, each carrying the dashboard's live HTML fragment when it changes
      parameters:
        - {name: once, in: query, required: false, description: "1: send one event and end.", schema: {enum: ["1"]}}
      responses:
        "200": {description: "An event stream.", content: {text/event-stream: {schema: {type: string}}}}
  /healthz:
    get:
      summary: The process is up
      responses:
        "200": {description: "ok", content: {text/plain: {schema: {type: string}}}}
  /readyz:
    get:
      summary: The store answers
      responses:
        "200": {description: "ready", content: {text/plain: {schema: {type: string}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /metrics:
    get:
      summary: Prometheus metrics
      responses:
        "200": {description: "The text exposition format.", content: {text/plain: {schema: {type: string}}}}
  /openapi.yaml:
    get:
      summary: This document
      responses:
        "200": {description: "OpenAPI 3.1", content: {application/yaml: {schema: {type: string}}}}
"""#
}
