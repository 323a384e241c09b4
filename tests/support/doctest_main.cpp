// The doctest runner shared by every test executable.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>

int main(int argc, char** argv) {
  // A server may close a connection while a test client still writes (413 tests): that must
  // be an error the test sees, not a SIGPIPE that kills the test.
  std::signal(SIGPIPE, SIG_IGN);
  doctest::Context context(argc, argv);
  return context.run();
}
