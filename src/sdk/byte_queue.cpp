#include "sdk/byte_queue.h"

namespace omv::sdk {

bool ByteQueue::push(std::vector<char> block) {
  std::unique_lock lock(mutex_);
  // A block larger than the capacity still goes through once the queue is empty.
  changed_.wait(lock, [&] { return abandoned_ || queued_ == 0 || queued_ + block.size() <= capacity_; });
  if (abandoned_) return false;
  queued_ += block.size();
  blocks_.push_back(std::move(block));
  changed_.notify_all();
  return true;
}

void ByteQueue::finish(bool complete) {
  std::lock_guard lock(mutex_);
  finished_ = true;
  complete_ = complete;
  changed_.notify_all();
}

std::optional<std::vector<char>> ByteQueue::pop() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !blocks_.empty() || finished_; });
  if (blocks_.empty()) return std::nullopt;
  auto block = std::move(blocks_.front());
  blocks_.pop_front();
  queued_ -= block.size();
  changed_.notify_all();
  return block;
}

bool ByteQueue::input_complete() const {
  std::lock_guard lock(mutex_);
  return finished_ && complete_;
}

void ByteQueue::abandon() {
  std::lock_guard lock(mutex_);
  abandoned_ = true;
  blocks_.clear();
  queued_ = 0;
  changed_.notify_all();
}

}  // namespace omv::sdk
