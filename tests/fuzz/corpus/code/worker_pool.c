/* Fixes a race condition between the face-detection worker threads:
 * the frame queue is now guarded by a mutex. A data race on the counter
 * was reported by ThreadSanitizer. */
#include <pthread.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int frames_in_queue;

void push_frame(void)
{
    pthread_mutex_lock(&queue_lock);
    frames_in_queue++;
    pthread_mutex_unlock(&queue_lock);
}
