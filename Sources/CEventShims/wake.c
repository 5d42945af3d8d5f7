#include "CEventShims.h"

#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

int cevent_wake_descriptor_new(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

void cevent_wake(int descriptor) {
    uint64_t one = 1;
    /* EAGAIN means the counter is full: the loop has wake-ups pending anyway. */
    (void)!write(descriptor, &one, sizeof one);
}

void cevent_wake_drain(int descriptor) {
    uint64_t count;
    (void)!read(descriptor, &count, sizeof count);
}
