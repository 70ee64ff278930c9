// Every failure the HTTP API reports is `{ error: { code, message } }` with a code from the
// engine's list (API.md "Error codes") and a 4xx status for anything the caller sent.

// Codes that mean "the thing you named does not exist".
const NOT_FOUND = new Set(['AGENT_NOT_FOUND', 'FEATURE_NOT_FOUND', 'UNKNOWN_QUERY'])

/** An Error carrying an HTTP status and a contract code. */
export function httpError(status, code, message) {
  const e = new Error(message)
  e.statusCode = status
  e.code = code
  return e
}

/** The status for an engine error's code: 404 for unknown names, 503 when the cluster could
 * not decide or be reached (try again), 500 for INTERNAL, else 400. */
export function statusOf(code) {
  if (NOT_FOUND.has(code)) return 404
  if (code === 'CONSENSUS_TIMEOUT' || code === 'PEER_UNREACHABLE') return 503
  if (code === 'INTERNAL') return 500
  return 400
}

// Fastify's own errors (FST_*) for what the caller sent, mapped to a contract code.
function fastifyError(error) {
  if (error.validation) {
    // e.g. "body/reward must be number": where, then what was wrong.
    return { status: 400, code: 'INVALID_ARGUMENT', message: `invalid request: ${error.message}` }
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'INVALID_ARGUMENT', message: `request body too large: ${error.message}` }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'INVALID_ARGUMENT', message: error.message }
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'INVALID_ARGUMENT', message: 'a path parameter is too long' }
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: 'INVALID_ARGUMENT', message: `malformed URL: ${error.message}` }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'INVALID_ARGUMENT', message: error.message }
  }
  // Malformed JSON is a SyntaxError from the JSON parser, marked 400 by fastify.
  if (error instanceof SyntaxError) {
    return { status: 400, code: 'INVALID_ARGUMENT', message: `malformed JSON body: ${error.message}` }
  }
  return null
}

/**
 * Maps anything a handler or fastify threw to a status and the contract's error body.
 * codes: the engine's error codes (elex.ERROR_CODES).
 */
export function toErrorReply(error, codes) {
  const mapped = fastifyError(error)
  if (mapped) return mapped
  // The engine's codes (the contract's list, shared with the facade); a system error's code
  // (ENOENT, EPIPE…) is ours to fix, not the caller's.
  if (codes.includes(error.code)) {
    const status = error.statusCode ?? statusOf(error.code)
    return { status, code: error.code, message: error.message }
  }
  // Any other client error fastify raised (status 4xx) stays a 4xx; the rest is ours.
  if (error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'INVALID_ARGUMENT', message: error.message }
  }
  return { status: 500, code: 'INTERNAL', message: error.message || 'internal error' }
}
