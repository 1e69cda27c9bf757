/*
 * The raw C_Sign rate of a PKCS#11 token: the ceiling for any signer that signs through it, to compare Cascade's
 * HSM signing with (bench/hsm.sh). Each thread opens its own session and loops C_SignInit + C_Sign on one private
 * key, found by its CKA_ID, for the given time.
 *
 *   pkcs11-sign-rate MODULE SLOT PIN KEY-ID MECHANISM SECONDS THREADS
 *     MECHANISM: rsa (CKM_SHA256_RSA_PKCS over 200 bytes) or ecdsa (CKM_ECDSA over a 32-byte SHA-256 digest, the
 *     work SunPKCS11's SHA256withECDSA leaves to the token when it has no CKM_ECDSA_SHA256)
 *   prints: signatures/s of all threads together
 *
 * Build: gcc -O2 -I/usr/include/p11-kit-1 -o pkcs11-sign-rate pkcs11-sign-rate.c -ldl -lpthread
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST_PTR p11;
static CK_SLOT_ID slot;
static CK_MECHANISM_TYPE mechanism;
static unsigned char key_id[256];
static CK_ULONG key_id_len;
static double seconds;

struct result { long signatures; int error; };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void *run(void *arg) {
  struct result *r = arg;
  CK_SESSION_HANDLE session;
  if (p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &session) != CKR_OK) { r->error = 1; return NULL; }
  CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE template[] = {{CKA_CLASS, &class, sizeof class}, {CKA_ID, key_id, key_id_len}};
  CK_OBJECT_HANDLE key;
  CK_ULONG found = 0;
  p11->C_FindObjectsInit(session, template, 2);
  p11->C_FindObjects(session, &key, 1, &found);
  p11->C_FindObjectsFinal(session);
  if (found != 1) { r->error = 2; return NULL; }
  CK_MECHANISM m = {mechanism, NULL, 0};
  unsigned char data[200], signature[1024];
  memset(data, 0x5a, sizeof data);
  CK_ULONG data_len = mechanism == CKM_ECDSA ? 32 : sizeof data;
  double end = now() + seconds;
  while (now() < end) {
    for (int i = 0; i < 16; i++) {
      CK_ULONG length = sizeof signature;
      data[0] = (unsigned char) r->signatures;
      if (p11->C_SignInit(session, &m, key) != CKR_OK || p11->C_Sign(session, data, data_len, signature, &length)
          != CKR_OK) { r->error = 3; return NULL; }
      r->signatures++;
    }
  }
  p11->C_CloseSession(session);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s MODULE SLOT PIN KEY-ID MECHANISM SECONDS THREADS\n", argv[0]);
    return 2;
  }
  void *module = dlopen(argv[1], RTLD_NOW);
  CK_C_GetFunctionList get = module ? (CK_C_GetFunctionList) dlsym(module, "C_GetFunctionList") : NULL;
  if (!get || get(&p11) != CKR_OK) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
  CK_C_INITIALIZE_ARGS init = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
  if (p11->C_Initialize(&init) != CKR_OK) { fprintf(stderr, "C_Initialize failed\n"); return 1; }
  slot = strtoul(argv[2], NULL, 10);
  key_id_len = strlen(argv[4]) < sizeof key_id ? strlen(argv[4]) : sizeof key_id;
  memcpy(key_id, argv[4], key_id_len);
  mechanism = strcmp(argv[5], "ecdsa") == 0 ? CKM_ECDSA : CKM_SHA256_RSA_PKCS;
  seconds = atof(argv[6]);
  int threads = atoi(argv[7]);
  CK_SESSION_HANDLE login;
  if (p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &login) != CKR_OK
      || p11->C_Login(login, CKU_USER, (CK_UTF8CHAR_PTR) argv[3], strlen(argv[3])) != CKR_OK) {
    fprintf(stderr, "cannot open slot %s or log in\n", argv[2]);
    return 1;
  }
  pthread_t *ids = calloc(threads, sizeof *ids);
  struct result *results = calloc(threads, sizeof *results);
  double start = now();
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, run, &results[i]);
  long total = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(ids[i], NULL);
    if (results[i].error) { fprintf(stderr, "thread %d failed (step %d)\n", i, results[i].error); return 1; }
    total += results[i].signatures;
  }
  printf("%.0f\n", total / (now() - start));
  p11->C_Logout(login);
  p11->C_Finalize(NULL);
  return 0;
}
