#pragma once
// A bounded hand-over of byte blocks from one producer thread (download + hash) to one consumer
// thread (the extractor), so both run at once without holding the whole tarball in memory.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace omv::sdk {

class ByteQueue {
 public:
  explicit ByteQueue(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // Producer: blocks while the queue is full. False when the consumer gave up (stop pushing).
  bool push(std::vector<char> block);
  // Producer: no more data. `complete` false means the input was cut off (error or cancel).
  void finish(bool complete);

  // Consumer: the next block; nullopt at the end of the input (see input_complete()).
  std::optional<std::vector<char>> pop();
  bool input_complete() const;
  // Consumer: stop; pending and future pushes are dropped.
  void abandon();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<char>> blocks_;
  size_t queued_ = 0;
  size_t capacity_;
  bool finished_ = false;
  bool complete_ = false;
  bool abandoned_ = false;
};

}  // namespace omv::sdk
