#pragma once
// HTTP(S) through libcurl: small documents into memory, and large bodies streamed to a callback
// with an optional byte range (resume). TLS certificates are verified unless `insecure`.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace omv::sdk {

struct HttpOptions {
  bool insecure = false;
  const std::atomic<bool>* cancel = nullptr;  // set from a signal handler: abort the transfer
};

// The body of a small document (at most `limit` bytes). Throws Error{network} on failure,
// including HTTP errors (the message names the URL and the status).
std::string http_get_text(const std::string& url, const HttpOptions& options, size_t limit = 64 * 1024);

struct HttpResponse {
  long status = 0;            // 200, 206, 416, ...
  int64_t content_length = -1;  // of this response's body, -1 when unknown
  int64_t range_start = -1;     // from Content-Range on a 206
  std::string etag;
  std::string last_modified;
};

struct StreamRequest {
  std::string url;
  uint64_t offset = 0;   // > 0: ask for bytes offset- (Range)
  std::string if_range;  // validator for the range (ETag or Last-Modified); empty: none
};

class HttpSink {
 public:
  virtual ~HttpSink() = default;
  // Called once before the first body byte (and also when there is no body), with the response.
  virtual void start(const HttpResponse& response) = 0;
  virtual void data(const char* bytes, size_t size) = 0;
};

// Streams the body into `sink`. Returns the response; a 416 (range not satisfiable) is returned,
// not thrown. Exceptions thrown by the sink abort the transfer and propagate unchanged.
HttpResponse http_stream(const StreamRequest& request, const HttpOptions& options, HttpSink& sink);

}  // namespace omv::sdk
