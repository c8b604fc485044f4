/**
 * GENERATED FILE: do not edit. The types of the kyso service's OpenAPI
 * document (/openapi.json of @kyso/server), written by openapi-typescript.
 * Regenerate with `pnpm --filter @kyso/client generate`
 * (packages/client/scripts/generate-types.ts); the suite fails when this
 * file and the service disagree.
 */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up (public) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The stores, signers and TSA are reachable
         * @description Readiness per capability. signing (B-B): the store answers and every identity's certificate is readable and unexpired; timestamping (B-T and up): signing, and a TCP connection to the configured TSA opens within 2 s; verification: always. Without `capability`, the service is ready when signing and verification are (a TSA that is down does not take B-B traffic out of a load balancer); with `capability=timestamping` (or signing, verification), the answer is that capability's. Without a key: only `{ status }`. With a key that has the `ops` operation: which part failed, each identity by name, and every capability.
         */
        get: {
            parameters: {
                query?: {
                    capability?: "signing" | "timestamping" | "verification";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready (details only for an ops key) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not-ready";
                            store?: string;
                            signers?: {
                                [key: string]: string;
                            };
                            /**
                             * @description Only when a TSA is configured
                             * @enum {string}
                             */
                            tsa?: "ok" | "unreachable";
                            /** @description Each capability on its own: signing (B-B), timestamping (B-T and up, and /csc/v2/signatures/timestamp), verification */
                            capabilities?: {
                                /** @enum {string} */
                                signing?: "ready" | "not-ready" | "not-configured";
                                /** @enum {string} */
                                timestamping?: "ready" | "not-ready" | "not-configured";
                                /** @enum {string} */
                                verification?: "ready" | "not-ready" | "not-configured";
                            };
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: a key was sent and is not valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key has no ops scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description Not ready: the failing part is named (for an ops key) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not-ready";
                            store?: string;
                            signers?: {
                                [key: string]: string;
                            };
                            /**
                             * @description Only when a TSA is configured
                             * @enum {string}
                             */
                            tsa?: "ok" | "unreachable";
                            /** @description Each capability on its own: signing (B-B), timestamping (B-T and up, and /csc/v2/signatures/timestamp), verification */
                            capabilities?: {
                                /** @enum {string} */
                                signing?: "ready" | "not-ready" | "not-configured";
                                /** @enum {string} */
                                timestamping?: "ready" | "not-ready" | "not-configured";
                                /** @enum {string} */
                                verification?: "ready" | "not-ready" | "not-configured";
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (ops key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The metrics, in the Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key has no ops scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description This OpenAPI 3.0.3 document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tài liệu API / this API documentation (HTML) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The documentation page (UTF-8 HTML) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ký một tệp PDF / sign a PDF (PAdES)
         * @description The body is the PDF (Content-Type: application/pdf), or multipart/form-data with the PDF as the one file part `file` and the options as text fields of the same names as the query parameters. Options in the query string, in X-Kyso-* headers (percent-encoded UTF-8) or form fields; an option given twice is refused. `certify` (1, 2 or 3) makes a certification signature (DocMDP; refused with 409 SIGN_CERTIFY_NOT_FIRST on a signed document); `lock` (`all`, `include:a,b`, `exclude:a,b`, with `lockPermissions`) locks form fields after the signature (FieldMDP); signing a locked field is 409 SIGN_FIELD_LOCKED, signing after a lock or certification with permission 1 is 409 SIGN_NOT_PERMITTED. `allocateResultCode=true` with `owner` and `resultType` (and `resultSuffix`) allocates a result code as /v1/codes/result does and writes it under the signature: Idempotency-Key is then required (a retry gets the same code), the code is confirmed once signed; if signing fails it stays reserved for the retry with the same Idempotency-Key (an operator voids it, with a reason, if the request is given up). The answer is the signed PDF with X-Kyso-Field, X-Kyso-Audit-Id and (with a result code) X-Kyso-Result-Code.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Identity to sign as (optional when the key has one) */
                    identity?: string;
                    /** @description PAdES level (default B-B; B-T and up need a configured TSA) */
                    level?: "B-B" | "B-T" | "B-LT" | "B-LTA";
                    reason?: string;
                    location?: string;
                    /** @description Signature field name */
                    field?: string;
                    /** @description Result code (mã kết quả) to write under the signature */
                    resultCode?: string;
                    /** @description Allocate a result code for owner and resultType and write it under the signature (needs Idempotency-Key; not with resultCode) */
                    allocateResultCode?: boolean;
                    /** @description With allocateResultCode: CCCD number or agency code of the owner */
                    owner?: string;
                    /** @description With allocateResultCode: result type Gxx.nnnnnn */
                    resultType?: string;
                    /** @description With allocateResultCode: suffix (số ký hiệu); default the type's template (G15.000021: the date), empty for none */
                    resultSuffix?: string;
                    /** @description Certification signature (DocMDP), first signature only: 1 no changes, 2 form filling and signing, 3 also annotations */
                    certify?: 1 | 2 | 3;
                    /** @description Lock form fields after this signature (FieldMDP): all, include:<a>,<b> or exclude:<a>,<b> */
                    lock?: string;
                    /** @description With lock (PDF 2.0): 1 nothing but DSS and document timestamps after this signature; 2, 3 as certify */
                    lockPermissions?: 1 | 2 | 3;
                    /** @description update (or the header Prefer: return=update): the answer is only the bytes to append to the PDF sent (application/octet-stream), with X-Kyso-Signed-Sha256 (SHA-256 of the whole signed file) and X-Kyso-Update-Offset (where they go: the length of the PDF sent); @kyso/core appendSignedUpdate joins and checks them. Default document: the whole signed PDF */
                    return?: "document" | "update";
                };
                header?: {
                    /** @description return=update: the same as ?return=update */
                    prefer?: string;
                    "x-kyso-identity"?: string;
                    "x-kyso-level"?: "B-B" | "B-T" | "B-LT" | "B-LTA";
                    "x-kyso-reason"?: string;
                    "x-kyso-location"?: string;
                    "x-kyso-field"?: string;
                    "x-kyso-result-code"?: string;
                    /** @description Required with allocateResultCode: the same key returns the same code */
                    "idempotency-key"?: string;
                    /** @description An encrypted PDF's user or owner password (percent-encoded UTF-8); never logged. Without it the empty user password is tried */
                    "x-pdf-password"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/pdf": string;
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description The PDF (one file part, up to bodyLimit)
                         */
                        file: string;
                        /** @description Identity to sign as (optional when the key has one) */
                        identity?: string;
                        /**
                         * @description PAdES level (default B-B; B-T and up need a configured TSA)
                         * @enum {string}
                         */
                        level?: "B-B" | "B-T" | "B-LT" | "B-LTA";
                        reason?: string;
                        location?: string;
                        /** @description Signature field name */
                        field?: string;
                        /** @description Result code (mã kết quả) to write under the signature */
                        resultCode?: string;
                        /** @description Allocate a result code for owner and resultType and write it under the signature (needs Idempotency-Key; not with resultCode) */
                        allocateResultCode?: boolean;
                        /** @description With allocateResultCode: CCCD number or agency code of the owner */
                        owner?: string;
                        /** @description With allocateResultCode: result type Gxx.nnnnnn */
                        resultType?: string;
                        /** @description With allocateResultCode: suffix (số ký hiệu); default the type's template (G15.000021: the date), empty for none */
                        resultSuffix?: string;
                        /**
                         * @description Certification signature (DocMDP), first signature only: 1 no changes, 2 form filling and signing, 3 also annotations
                         * @enum {integer}
                         */
                        certify?: 1 | 2 | 3;
                        /** @description Lock form fields after this signature (FieldMDP): all, include:<a>,<b> or exclude:<a>,<b> */
                        lock?: string;
                        /**
                         * @description With lock (PDF 2.0): 1 nothing but DSS and document timestamps after this signature; 2, 3 as certify
                         * @enum {integer}
                         */
                        lockPermissions?: 1 | 2 | 3;
                        /**
                         * @description update (or the header Prefer: return=update): the answer is only the bytes to append to the PDF sent (application/octet-stream), with X-Kyso-Signed-Sha256 (SHA-256 of the whole signed file) and X-Kyso-Update-Offset (where they go: the length of the PDF sent); @kyso/core appendSignedUpdate joins and checks them. Default document: the whole signed PDF
                         * @enum {string}
                         */
                        return?: "document" | "update";
                    };
                };
            };
            responses: {
                /** @description The signed PDF */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign/prepare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Chuẩn bị ký hai bước / prepare a two-step signature (key held by the client)
         * @description For a key the server does not hold (an officer USB token in a browser or desktop client). Lays the PDF out and keeps it server-side; answers the DER of the CMS signed attributes (toBeSigned) and its hash (digest, for raw token mechanisms). `certify`, `lock` and `lockPermissions` as on /v1/sign. Sign it and POST the value to /v1/sign/complete before expiresAt. An encrypted PDF's user or owner password goes in the X-Pdf-Password header (percent-encoded UTF-8, never logged).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description The PDF, base64 */
                        pdf: string;
                        /** @description DER certificates, base64, signer first */
                        certificateChain: string[];
                        /**
                         * @default SHA-256
                         * @enum {string}
                         */
                        digest?: "SHA-256" | "SHA-384" | "SHA-512";
                        /**
                         * @description Default: ECDSA for EC keys, RSASSA-PKCS1-v1_5 for RSA
                         * @enum {string}
                         */
                        scheme?: "RSASSA-PKCS1-v1_5" | "RSA-PSS" | "ECDSA";
                        reason?: string;
                        location?: string;
                        field?: string;
                        resultCode?: string;
                        /**
                         * @description Certification signature (DocMDP), first signature only: 1 no changes, 2 form filling and signing, 3 also annotations
                         * @enum {integer}
                         */
                        certify?: 1 | 2 | 3;
                        /** @description Lock form fields after this signature (FieldMDP): all, include:<a>,<b> or exclude:<a>,<b> */
                        lock?: string;
                        /**
                         * @description With lock (PDF 2.0): 1 nothing but DSS and document timestamps after this signature; 2, 3 as certify
                         * @enum {integer}
                         */
                        lockPermissions?: 1 | 2 | 3;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessionId: string;
                            /** Format: date-time */
                            expiresAt: string;
                            /** @description DER of the signed attributes, base64: sign this (hashing it with digestAlgorithm) */
                            toBeSigned: string;
                            /** @enum {string} */
                            digestAlgorithm: "SHA-256" | "SHA-384" | "SHA-512";
                            /** @description Hash of toBeSigned, base64: for a token signing with a raw mechanism */
                            digest: string;
                            /** @description The signature field the PDF will have */
                            field: string;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hoàn tất ký hai bước / complete a two-step signature
         * @description The signature value over toBeSigned from /v1/sign/prepare (RSA raw; ECDSA as DER or raw r||s). It must verify with the certificate given at prepare, or the answer is 422 SIGNATURE_INVALID and nothing is written (the session stays usable until it expires). Answers the signed PDF with X-Kyso-Field and X-Kyso-Audit-Id.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        sessionId: string;
                        /** @description Signature value, base64 */
                        signature: string;
                    };
                };
            };
            responses: {
                /** @description The signed PDF */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SESSION_EXPIRED */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Kiểm tra chữ ký số / verify the signatures of a PDF
         * @description The body is the PDF (Content-Type: application/pdf), or multipart/form-data with the PDF as the one file part `file` and the options (lang, policy, format) as text fields of the same names as the query parameters; an option given both in the query and the form is refused. The answer is the report of `kyso verify --json` (or its text with format=text). Public unless publicVerify is off. Every signature is a row of `signatures`, a broken one too (a file re-saved or cut short after signing: finding BYTERANGE_OUT_OF_FILE; a /ByteRange gap that is not /Contents: CONTENTS_NOT_IN_GAP; an unreadable signature value: SIGNATURE_UNREADABLE), with its signer, time and a message in English and Vietnamese; NOT_SIGNED means no signature field has a value.
         */
        post: {
            parameters: {
                query?: {
                    lang?: "vi" | "en";
                    policy?: "bcy" | "vn";
                    format?: "json" | "text";
                };
                header?: {
                    /** @description An encrypted PDF's user or owner password (percent-encoded UTF-8); never logged. Without it the empty user password is tried */
                    "x-pdf-password"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/pdf": string;
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description The PDF (one file part, up to bodyLimit)
                         */
                        file: string;
                        /**
                         * @default vi
                         * @enum {string}
                         */
                        lang?: "vi" | "en";
                        /** @enum {string} */
                        policy?: "bcy" | "vn";
                        /**
                         * @default json
                         * @enum {string}
                         */
                        format?: "json" | "text";
                    };
                };
            };
            responses: {
                /** @description The verification report (JSON, or text with format=text) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            verdict: "valid" | "indeterminate" | "invalid" | "unsigned";
                            policy: string;
                            document: {
                                [key: string]: unknown;
                            };
                            signatures: {
                                [key: string]: unknown;
                            }[];
                            findings: {
                                [key: string]: unknown;
                            }[];
                        } & {
                            [key: string]: unknown;
                        };
                        "text/plain": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codes/case": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cấp mã hồ sơ / issue case codes for today (Vietnam time) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The same key returns the same code(s) */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        identity?: string;
                        /** @default 1 */
                        count?: number;
                        /** @default false */
                        confirm?: boolean;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            identity: string;
                            agency: string;
                            codes: {
                                code: string;
                                sequence: number;
                                date: string;
                                /** @enum {string} */
                                state: "reserved" | "confirmed" | "voided";
                            }[];
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codes/cert-number": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cấp số chứng thực / issue certification numbers for this year */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The same key returns the same code(s) */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        identity?: string;
                        book: number;
                        /** @default 1 */
                        count?: number;
                        /** @default false */
                        confirm?: boolean;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            identity: string;
                            agency: string;
                            numbers: {
                                /** @description <year>-<number>: what /v1/codes/{code}/void takes with kind "cert" */
                                id: string;
                                number: number;
                                book: number;
                                year: number;
                                bookLabel: string;
                                line: string;
                                /** @enum {string} */
                                state: "reserved" | "confirmed" | "voided";
                            }[];
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codes/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cấp mã kết quả / register a result code for the citizen data store */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The same key returns the same code(s) */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        identity?: string;
                        /** @description CCCD number or agency code of the owner */
                        owner: string;
                        /** @description Result type Gxx.nnnnnn */
                        type: string;
                        suffix?: string;
                        /** @default false */
                        confirm?: boolean;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            identity: string;
                            code: string;
                            /** @enum {string} */
                            state: "reserved" | "confirmed" | "voided";
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codes/{code}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hủy một mã / void a case code, result code or certification number (never reused) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        identity?: string;
                        /**
                         * @description Default: guessed from the code; "cert" takes <year>-<number>
                         * @enum {string}
                         */
                        kind?: "case" | "cert" | "result";
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            kind: string;
                            /** @enum {string} */
                            state: "reserved" | "confirmed" | "voided";
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Nhật ký kiểm toán / the audit log, oldest first */
        get: {
            parameters: {
                query?: {
                    after?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            records: {
                                seq?: number;
                                time?: string;
                                keyId?: string | null;
                                identity?: string | null;
                                operation?: string;
                                inputSha256?: string | null;
                                outputSha256?: string | null;
                                code?: string | null;
                                field?: string | null;
                                result?: string;
                                status?: number;
                                prevHash?: string;
                                hash?: string;
                            }[];
                            next: number | null;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Kiểm tra chuỗi băm của nhật ký / check the audit hash chain */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            records: number;
                            brokenAt?: number;
                            problem?: string;
                            lastHash: string;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certified-copies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Chứng thực bản sao điện tử / certify an electronic copy
         * @description The body is the scan (image/jpeg, image/png) or a PDF. The officer signs (personal layout with the identity image), then the agency (seal over it). Answer: the signed PDF with X-Kyso-Result-Code, X-Kyso-Certification-Number, X-Kyso-Book and X-Kyso-Audit-Id. Idempotency-Key is required: a retry gets the same numbers, also after a failure (a token removed, a TSA down), so the book has no gap; a bad upload takes no number. The result code's suffix defaults to the date (ddmmyyyy) for the owner's first copy of the day and the date and the certification number for the next ones.
         */
        post: {
            parameters: {
                query: {
                    /** @description Identity of the certifying officer (personal certificate) */
                    officer?: string;
                    /** @description Identity of the agency seal (organisation certificate) */
                    agency?: string;
                    /** @description Owner of the document: CCCD, CMND, tax code or zeros */
                    owner: string;
                    book: number;
                    caseCode?: string;
                    level?: "B-B" | "B-T" | "B-LT" | "B-LTA";
                    /** @description Result code suffix template ({ddmmyyyy}, {number}, {book}, {year}); default unique per copy: {ddmmyyyy} for the owner's first copy of the day, {ddmmyyyy}-{number} after */
                    resultSuffix?: string;
                    /** @description Default true: the officer certifies (DocMDP P=2) and the seal locks the copy (FieldMDP P=1; only DSS and document timestamps after it). false: leave the copy open for more signatures */
                    lockAfterSeal?: boolean;
                };
                header: {
                    "idempotency-key": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "application/pdf": string;
                    "application/octet-stream": string;
                };
            };
            responses: {
                /** @description The certified copy (signed PDF) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/pdf": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/vgca/{endpoint}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** VGCA plugin-compatible signing / tương thích công cụ ký số VGCA */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    endpoint: "SignPDF" | "SignApproved" | "SignIssued" | "SignAppendix" | "SignCopy" | "VerifyPDF";
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        FileName: string;
                        FileUploadHandler?: string;
                        SessionId?: string;
                        JWTToken?: string;
                        DocNumber?: string;
                        IssuedDate?: string;
                        MetaData?: {
                            Key?: string;
                            Value?: string;
                        }[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description The plugin's reply: Status 0 = OK, otherwise the failure in Message (Vietnamese / English); FileServer is where the signed file was posted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            Status: number;
                            Message: string;
                            FileName: string;
                            FileServer: string;
                        };
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description FORBIDDEN: the key may not use this identity or operation */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * CSC: thông tin dịch vụ (GET) / service information (GET)
         * @description The CSC API v2 (specs 2.0.0.2) of this service: the methods it offers (signatures/timestamp only when a TSA is configured) and its authentication types (basic: auth/login with an API key; oauth2client: oauth2/token, client_credentials).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            specs?: string;
                            name?: string;
                            region?: string;
                            lang?: string;
                            description?: string;
                            authType?: string[];
                            oauth2?: string;
                            methods?: string[];
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * CSC: thông tin dịch vụ / service information
         * @description The CSC API v2 (specs 2.0.0.2) of this service: the methods it offers (signatures/timestamp only when a TSA is configured) and its authentication types (basic: auth/login with an API key; oauth2client: oauth2/token, client_credentials).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        lang?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            specs?: string;
                            name?: string;
                            region?: string;
                            lang?: string;
                            description?: string;
                            authType?: string[];
                            oauth2?: string;
                            methods?: string[];
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: đăng nhập bằng khóa API / log in with an API key
         * @description Authorization: Basic base64(<key id>:<API key>), or Bearer <API key>; the key needs the "csc" operation. Answers an access token for the other methods, valid expires_in seconds (csc.tokenTtlSeconds). The token is kept only in this process: after a restart, or on another instance, log in again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        refresh_token?: string;
                        rememberMe?: boolean;
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            token_type?: string;
                            expires_in: number;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: mã truy cập OAuth 2.0 (client credentials) / OAuth 2.0 access token
         * @description application/x-www-form-urlencoded, grant_type=client_credentials; the client is the API key: client_id = key id, client_secret = the key, in Basic (form-encoded, RFC 6749 §2.3.1) or in the form. Answers as auth/login does, with token_type Bearer.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        grant_type: string;
                        client_id?: string;
                        client_secret?: string;
                        scope?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            token_type?: string;
                            expires_in: number;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/credentials/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: danh sách thông tin ký / list the credentials
         * @description The credentials of this API key: one per identity it may use (credentialID = the identity's name). With credentialInfo, each one's credentials/info as well.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        userID?: string;
                        /** @default false */
                        credentialInfo?: boolean;
                        /**
                         * @default single
                         * @enum {string}
                         */
                        certificates?: "none" | "single" | "chain";
                        /** @default false */
                        certInfo?: boolean;
                        /** @default false */
                        authInfo?: boolean;
                        /** @default false */
                        onlyValid?: boolean;
                        lang?: string;
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            credentialIDs: string[];
                            credentialInfos?: {
                                credentialID?: string;
                                description?: string;
                                key?: {
                                    status?: string;
                                    algo?: string[];
                                    len?: number;
                                    curve?: string;
                                };
                                cert?: {
                                    status?: string;
                                    certificates?: string[];
                                    issuerDN?: string;
                                    serialNumber?: string;
                                    subjectDN?: string;
                                    validFrom?: string;
                                    validTo?: string;
                                };
                                auth?: {
                                    /** @enum {string} */
                                    mode?: "implicit" | "explicit";
                                    expression?: string;
                                    objects?: {
                                        type?: string;
                                        id?: string;
                                        format?: string;
                                        label?: string;
                                        description?: string;
                                    }[];
                                };
                                SCAL?: string;
                                multisign?: number;
                                lang?: string;
                            }[];
                            onlyValid?: boolean;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/credentials/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: thông tin một thông tin ký / describe a credential
         * @description The key (status, algorithms as OIDs in key.algo, length in bits, curve), the certificate (none, single or the chain, base64 DER; with certInfo its subject, issuer, serial and validity), the authorization mode (explicit when a PIN or OTP is needed; with authInfo the objects to send in authData), SCAL 1 and multisign (hashes per signHash call).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description The credential: the name of an identity this API key may use */
                        credentialID: string;
                        /**
                         * @default single
                         * @enum {string}
                         */
                        certificates?: "none" | "single" | "chain";
                        /** @default false */
                        certInfo?: boolean;
                        /** @default false */
                        authInfo?: boolean;
                        lang?: string;
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            description?: string;
                            key?: {
                                status?: string;
                                algo?: string[];
                                len?: number;
                                curve?: string;
                            };
                            cert?: {
                                status?: string;
                                certificates?: string[];
                                issuerDN?: string;
                                serialNumber?: string;
                                subjectDN?: string;
                                validFrom?: string;
                                validTo?: string;
                            };
                            auth?: {
                                /** @enum {string} */
                                mode?: "implicit" | "explicit";
                                expression?: string;
                                objects?: {
                                    type?: string;
                                    id?: string;
                                    format?: string;
                                    label?: string;
                                    description?: string;
                                }[];
                            };
                            SCAL?: string;
                            multisign?: number;
                            lang?: string;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/credentials/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: ủy quyền ký (SAD) / authorize signatures (SAD)
         * @description Issues a signature activation data value (SAD) for numSignatures hashes of this credential, valid expiresIn seconds (csc.sadTtlSeconds), for this API key only (SCAL1). An explicit credential needs authData [{ "id": "PIN", "value": … }, { "id": "OTP", "value": … }]; five wrong values in a row lock it for this key for five minutes (429). With hashes (and hashAlgorithmOID), only those hashes may be signed with it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description The credential: the name of an identity this API key may use */
                        credentialID: string;
                        numSignatures: number;
                        hashes?: string[];
                        /** @description SHA-256 2.16.840.1.101.3.4.2.1, SHA-384 …2.2, SHA-512 …2.3 */
                        hashAlgorithmOID?: string;
                        description?: string;
                        authData?: {
                            id: string;
                            value: string;
                        }[];
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            SAD: string;
                            expiresIn: number;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/signatures/signHash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: ký các giá trị băm / sign hashes
         * @description Signs up to multisign hashes (base64) with the credential, spending as many signatures of the SAD. signAlgo as OIDs: sha256/384/512WithRSAEncryption (1.2.840.113549.1.1.11-13), rsaEncryption (1.2.840.113549.1.1.1) with hashAlgorithmOID, RSASSA-PSS (1.2.840.113549.1.1.10) with signAlgoParams (DER RSASSA-PSS-params, base64), ecdsa-with-SHA256/384/512 (1.2.840.10045.4.3.2-4) or ecPublicKey (1.2.840.10045.2.1) with hashAlgorithmOID. Answers the signature values in the same order (RSA: the raw value; ECDSA: DER Ecdsa-Sig-Value). Every hash signed gets its own audit record (operation csc.signHash, inputSha256 = SHA-256 of the hash value, outputSha256 = SHA-256 of the signature value). Synchronous (operationMode S) only.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description The credential: the name of an identity this API key may use */
                        credentialID: string;
                        SAD: string;
                        hashes: string[];
                        /** @description SHA-256 2.16.840.1.101.3.4.2.1, SHA-384 …2.2, SHA-512 …2.3 */
                        hashAlgorithmOID?: string;
                        signAlgo: string;
                        signAlgoParams?: string;
                        operationMode?: string;
                        validity_period?: number;
                        response_uri?: string;
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            signatures: string[];
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csc/v2/signatures/timestamp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * CSC: dấu thời gian cho một giá trị băm / time-stamp a hash
         * @description An RFC 3161 time-stamp token (base64 DER) over the hash from the service's TSA. The nonce in the token is one kyso chose and checked; a client nonce is refused.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        hash: string;
                        /** @description SHA-256 2.16.840.1.101.3.4.2.1, SHA-384 …2.2, SHA-512 …2.3 */
                        hashAlgorithmOID: string;
                        nonce?: string;
                        clientData?: string;
                    };
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            timestamp: string;
                        };
                    };
                };
                /** @description invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied: FORBIDDEN (the API key lacks the "csc" operation) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: BODY_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description server_error: TSA_FAILED */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_* */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …) */
                            error: string;
                            /** @description CSC error description, e.g. "Invalid parameter SAD" */
                            error_description: string;
                            /** @description kyso's stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trang kiểm tra chữ ký / the verification page (HTML) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The verification page (UTF-8 HTML) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
                /** @description INTERNAL */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Stable error code */
                            code: string;
                            message: string;
                            messageVi: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            /** @description Stable error code */
            code: string;
            message: string;
            messageVi: string;
        };
    };
    responses: {
        /** @description REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID */
        Error400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>) */
        Error401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description FORBIDDEN: the key may not use this identity or operation */
        Error403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND */
        Error404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description METHOD_NOT_ALLOWED (with Allow) */
        Error405: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description NOT_ACCEPTABLE */
        Error406: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs */
        Error408: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED */
        Error409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description SESSION_EXPIRED */
        Error410: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description BODY_TOO_LARGE */
        Error413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description URI_TOO_LONG */
        Error414: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description UNSUPPORTED_MEDIA_TYPE */
        Error415: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID */
        Error422: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description BUSY (with Retry-After) */
        Error429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description HEADERS_TOO_LARGE: the request headers exceed 16 KiB */
        Error431: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description INTERNAL */
        Error500: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description TSA_FAILED, UPSTREAM_FAILED */
        Error502: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT */
        Error503: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
        /** @description UPSTREAM_TIMEOUT */
        Error504: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @description Stable error code */
                    code: string;
                    message: string;
                    messageVi: string;
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
