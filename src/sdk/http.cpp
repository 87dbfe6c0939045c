#include "sdk/http.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <exception>
#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/text.h"

namespace omv::sdk {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

int progress_cb(void* opaque, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(opaque);
  return cancel && cancel->load() ? 1 : 0;
}

std::unique_ptr<CURL, CurlFree> make_handle(const std::string& url, const HttpOptions& options) {
  global_init();
  std::unique_ptr<CURL, CurlFree> c(curl_easy_init());
  if (!c) throw std::bad_alloc();
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c.get(), CURLOPT_USERAGENT, "omv/" OMV_VERSION);
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  // A transfer that stalls below 1 KB/s for 60 s is given up (and resumes next time).
  curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_LIMIT, 1000L);
  curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYPEER, options.insecure ? 0L : 1L);
  curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYHOST, options.insecure ? 0L : 2L);
  curl_easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt(c.get(), CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.cancel));
  return c;
}

[[noreturn]] void curl_failure(CURLcode code, const std::string& url, const char* detail) {
  if (code == CURLE_ABORTED_BY_CALLBACK) fail(ErrorKind::interrupted, fmt::format("download of {} interrupted", url));
  std::string text = detail && *detail ? detail : curl_easy_strerror(code);
  if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM ||
      code == CURLE_SSL_CONNECT_ERROR)
    fail(ErrorKind::network, fmt::format("{}: TLS certificate check failed: {}", url, text),
         "the server's certificate could not be verified; fix the system clock or CA certificates "
         "(apt install ca-certificates), or pass --insecure if you trust this network");
  fail(ErrorKind::network, fmt::format("download of {} failed: {}", url, text),
       "check the network (or --base-url) and run the same command again; an interrupted download resumes");
}

[[noreturn]] void http_status_failure(long status, const std::string& url) {
  fail(ErrorKind::network, fmt::format("{}: HTTP {}", url, status),
       status == 404 ? "no such file on the server: check --version and --base-url" : "try again later");
}

size_t text_write(char* data, size_t, size_t n, void* opaque) {
  auto* state = static_cast<std::pair<std::string*, size_t>*>(opaque);
  if (state->first->size() + n > state->second) return 0;
  state->first->append(data, n);
  return n;
}

struct StreamState {
  HttpSink* sink;
  CURL* curl;
  HttpResponse response;
  bool started = false;
  std::exception_ptr error;

  void ensure_started() {
    if (started) return;
    started = true;
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    response.status = code;
    curl_off_t length = -1;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    response.content_length = length;
    sink->start(response);
  }
};

size_t header_cb(char* data, size_t, size_t n, void* opaque) {
  auto* state = static_cast<StreamState*>(opaque);
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect): forget the previous headers
    state->response = HttpResponse{};
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = to_lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  if (name == "etag") state->response.etag = value;
  if (name == "last-modified") state->response.last_modified = value;
  if (name == "content-range") {
    // "bytes N-M/T"
    auto space = value.find(' ');
    auto dash = value.find('-');
    if (space != std::string::npos && dash != std::string::npos && dash > space) {
      try {
        state->response.range_start = std::stoll(value.substr(space + 1, dash - space - 1));
      } catch (const std::exception&) {
        state->response.range_start = -1;
      }
    }
  }
  return n;
}

size_t stream_write(char* data, size_t, size_t n, void* opaque) {
  auto* state = static_cast<StreamState*>(opaque);
  try {
    if (!state->started) {
      long code = 0;
      curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &code);
      if (code >= 400) return n;  // an error page: reported from the status after the transfer
    }
    state->ensure_started();
    state->sink->data(data, n);
    return n;
  } catch (...) {
    state->error = std::current_exception();
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
}

}  // namespace

std::string http_get_text(const std::string& url, const HttpOptions& options, size_t limit) {
  auto c = make_handle(url, options);
  std::string body;
  std::pair<std::string*, size_t> state{&body, limit};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, text_write);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &state);
  CURLcode rc = curl_easy_perform(c.get());
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc == CURLE_WRITE_ERROR)
    fail(ErrorKind::network, fmt::format("{}: larger than {} bytes, not a checksum file", url, limit));
  if (rc != CURLE_OK) curl_failure(rc, url, errbuf);
  if (status >= 400) http_status_failure(status, url);
  return body;
}

HttpResponse http_stream(const StreamRequest& request, const HttpOptions& options, HttpSink& sink) {
  auto c = make_handle(request.url, options);
  StreamState state{&sink, c.get(), {}, false, nullptr};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, stream_write);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(c.get(), CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(c.get(), CURLOPT_BUFFERSIZE, 512L * 1024L);
  std::unique_ptr<curl_slist, SlistFree> headers;
  if (request.offset > 0) {
    std::string range = fmt::format("{}-", request.offset);
    curl_easy_setopt(c.get(), CURLOPT_RANGE, range.c_str());
    if (!request.if_range.empty())
      headers.reset(curl_slist_append(nullptr, ("If-Range: " + request.if_range).c_str()));
    curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
  }
  CURLcode rc = curl_easy_perform(c.get());
  if (state.error) std::rethrow_exception(state.error);
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) curl_failure(rc, request.url, errbuf);
  if (status == 416) {
    state.response.status = 416;
    return state.response;
  }
  if (status >= 400) http_status_failure(status, request.url);
  state.ensure_started();  // an empty body still gets its start()
  return state.response;
}

}  // namespace omv::sdk
