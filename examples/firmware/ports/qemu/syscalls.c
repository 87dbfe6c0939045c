// The few system calls newlib needs: stdout and stderr go to the UART, the heap lies between
// the end of .bss and the stack (see qemu.ld.S). Everything else fails politely.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "rtt.h"
#include "uart.h"

extern char _heap_start, _heap_end;

int _write(int fd, const char *data, int length);
void *_sbrk(ptrdiff_t increment);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
int _read(int fd, char *data, int length);
int _getpid(void);
int _kill(int pid, int sig);
void _exit(int status);

int _write(int fd, const char *data, int length)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    uart_write(data, (size_t) length);
    rtt_write(data, (size_t) length);
    return length;
}

void *_sbrk(ptrdiff_t increment)
{
    static char *brk = &_heap_start;
    if (increment > &_heap_end - brk) {
        errno = ENOMEM;
        return (void *) -1;
    }
    char *previous = brk;
    brk += increment;
    return previous;
}

int _close(int fd)
{
    (void) fd;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void) fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd <= 2;
}

int _lseek(int fd, int offset, int whence)
{
    (void) fd;
    (void) offset;
    (void) whence;
    return 0;
}

int _read(int fd, char *data, int length)
{
    (void) fd;
    (void) data;
    (void) length;
    errno = EBADF;
    return -1;
}

int _getpid(void)
{
    return 1;
}

int _kill(int pid, int sig)
{
    (void) pid;
    (void) sig;
    errno = EINVAL;
    return -1;
}

void _exit(int status)
{
    (void) status;
    for (;;) {
    }
}
