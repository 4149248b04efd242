//! xloop's optional native helper, a Node-API addon with no crate dependencies.
//!
//! Why no `napi`/`napi-derive`: the build has to work offline, so the handful of
//! Node-API C functions used here are declared by hand below. A Node-API addon is an
//! ordinary shared library whose `napi_*` symbols stay undefined until the host
//! runtime loads it; Node, Bun (also inside a `bun build --compile` binary) and Deno
//! all export them. The C library functions come from glibc/musl, which the Rust
//! standard library links anyway.
//!
//! Exports (see src/pin/native.ts for the TypeScript side):
//!  - `pinCurrentThread(cpu)`: sched_setaffinity(0, ...) on the calling thread only;
//!  - `currentCpu()`: sched_getcpu();
//!  - `threadId()`: the kernel thread id (gettid);
//!  - `monotonicNs()`: clock_gettime(CLOCK_MONOTONIC) in nanoseconds, as a double;
//!  - `perfCounters()`: whether a hardware instruction counter really counts here.
//!
//! Every function is stateless, so the module can be registered in any number of
//! worker threads (one `napi_env` each) at once.

#[cfg(not(target_os = "linux"))]
compile_error!("xloop-native uses Linux system calls (sched_setaffinity, gettid, perf_event_open)");

use std::ffi::{c_char, c_int, c_long, c_ulong, c_void, CStr, CString};
use std::fs::File;
use std::io::Read;
use std::os::fd::FromRawFd;
use std::ptr;

// ---------------------------------------------------------------------------
// Node-API, declared by hand (the subset of js_native_api.h used below; all of it
// exists since Node-API version 1, so every supported runtime has it).

type NapiEnv = *mut c_void;
type NapiValue = *mut c_void;
type NapiCallbackInfo = *mut c_void;
type NapiStatus = c_int;
type NapiCallback = unsafe extern "C" fn(NapiEnv, NapiCallbackInfo) -> NapiValue;

const NAPI_OK: NapiStatus = 0;
const NAPI_NUMBER: c_int = 3; // napi_valuetype::napi_number
const NAPI_AUTO_LENGTH: usize = usize::MAX;

extern "C" {
    fn napi_create_function(
        env: NapiEnv,
        utf8name: *const c_char,
        length: usize,
        cb: NapiCallback,
        data: *mut c_void,
        result: *mut NapiValue,
    ) -> NapiStatus;
    fn napi_set_named_property(env: NapiEnv, object: NapiValue, utf8name: *const c_char, value: NapiValue) -> NapiStatus;
    fn napi_get_cb_info(
        env: NapiEnv,
        cbinfo: NapiCallbackInfo,
        argc: *mut usize,
        argv: *mut NapiValue,
        this_arg: *mut NapiValue,
        data: *mut *mut c_void,
    ) -> NapiStatus;
    fn napi_typeof(env: NapiEnv, value: NapiValue, result: *mut c_int) -> NapiStatus;
    fn napi_get_value_double(env: NapiEnv, value: NapiValue, result: *mut f64) -> NapiStatus;
    fn napi_get_boolean(env: NapiEnv, value: bool, result: *mut NapiValue) -> NapiStatus;
    fn napi_create_double(env: NapiEnv, value: f64, result: *mut NapiValue) -> NapiStatus;
    fn napi_create_int32(env: NapiEnv, value: i32, result: *mut NapiValue) -> NapiStatus;
    fn napi_create_object(env: NapiEnv, result: *mut NapiValue) -> NapiStatus;
    fn napi_create_string_utf8(env: NapiEnv, str: *const c_char, length: usize, result: *mut NapiValue) -> NapiStatus;
    fn napi_throw_type_error(env: NapiEnv, code: *const c_char, msg: *const c_char) -> NapiStatus;
    fn napi_throw_range_error(env: NapiEnv, code: *const c_char, msg: *const c_char) -> NapiStatus;
}

// ---------------------------------------------------------------------------
// The C library (glibc or musl), declared by hand for the same offline reason.

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

const CLOCK_MONOTONIC: c_int = 1;

extern "C" {
    fn sched_setaffinity(pid: c_int, cpusetsize: usize, mask: *const u64) -> c_int;
    fn sched_getcpu() -> c_int;
    fn clock_gettime(clock: c_int, tp: *mut Timespec) -> c_int;
    fn syscall(number: c_long, ...) -> c_long;
    fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
}

// gettid and perf_event_open go through syscall(2): glibc only wraps gettid since
// 2.30 and has never wrapped perf_event_open.
#[cfg(target_arch = "x86_64")]
const SYS_GETTID: c_long = 186;
#[cfg(target_arch = "x86_64")]
const SYS_PERF_EVENT_OPEN: c_long = 298;
#[cfg(target_arch = "aarch64")]
const SYS_GETTID: c_long = 178;
#[cfg(target_arch = "aarch64")]
const SYS_PERF_EVENT_OPEN: c_long = 241;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("xloop-native knows the system call numbers of x86_64 and aarch64 only");

/// The kernel's default cpu_set_t: 1024 CPUs, as 16 words of 64 bits.
const CPU_SET_WORDS: usize = 16;
const MAX_CPUS: f64 = (CPU_SET_WORDS * 64) as f64;

// ---------------------------------------------------------------------------
// Small helpers around Node-API. A failing napi_* call leaves a pending exception
// or nothing useful to do, so callbacks then return NULL (undefined in JavaScript).

unsafe fn boolean(env: NapiEnv, value: bool) -> NapiValue {
    let mut result = ptr::null_mut();
    napi_get_boolean(env, value, &mut result);
    result
}

unsafe fn double(env: NapiEnv, value: f64) -> NapiValue {
    let mut result = ptr::null_mut();
    napi_create_double(env, value, &mut result);
    result
}

unsafe fn int32(env: NapiEnv, value: i32) -> NapiValue {
    let mut result = ptr::null_mut();
    napi_create_int32(env, value, &mut result);
    result
}

unsafe fn string(env: NapiEnv, value: &str) -> NapiValue {
    let mut result = ptr::null_mut();
    // An explicit length: the text needs no NUL terminator and may contain none.
    napi_create_string_utf8(env, value.as_ptr() as *const c_char, value.len(), &mut result);
    result
}

// ---------------------------------------------------------------------------
// The exported functions.

/// `pinCurrentThread(cpu: number): boolean` — confines the calling thread (pid 0
/// means "this thread" to sched_setaffinity, not the whole process) to one CPU.
/// Throws on a missing or impossible CPU number; false when the kernel refuses.
unsafe extern "C" fn pin_current_thread(env: NapiEnv, info: NapiCallbackInfo) -> NapiValue {
    let mut argc: usize = 1;
    let mut argv: [NapiValue; 1] = [ptr::null_mut()];
    if napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) != NAPI_OK {
        return ptr::null_mut();
    }
    let mut kind: c_int = -1;
    if argc < 1 || napi_typeof(env, argv[0], &mut kind) != NAPI_OK || kind != NAPI_NUMBER {
        napi_throw_type_error(env, ptr::null(), c"pinCurrentThread(cpu) needs a CPU number".as_ptr());
        return ptr::null_mut();
    }
    let mut cpu: f64 = 0.0;
    napi_get_value_double(env, argv[0], &mut cpu);
    if !(cpu >= 0.0 && cpu < MAX_CPUS && cpu.fract() == 0.0) {
        let message = CString::new(format!("pinCurrentThread: CPU {cpu} is not an integer in 0..{MAX_CPUS}")).unwrap_or_default();
        napi_throw_range_error(env, ptr::null(), message.as_ptr());
        return ptr::null_mut();
    }
    let cpu = cpu as usize;
    let mut mask = [0u64; CPU_SET_WORDS];
    mask[cpu / 64] = 1u64 << (cpu % 64);
    let rc = sched_setaffinity(0, std::mem::size_of_val(&mask), mask.as_ptr());
    boolean(env, rc == 0)
}

/// `currentCpu(): number` — the CPU the calling thread runs on now, or -1.
unsafe extern "C" fn current_cpu(env: NapiEnv, _info: NapiCallbackInfo) -> NapiValue {
    int32(env, sched_getcpu())
}

/// `threadId(): number` — the kernel's id of the calling thread (what
/// /proc/thread-self points at and `taskset -p` takes), not a JavaScript threadId.
unsafe extern "C" fn thread_id(env: NapiEnv, _info: NapiCallbackInfo) -> NapiValue {
    int32(env, syscall(SYS_GETTID) as i32)
}

/// `monotonicNs(): number` — CLOCK_MONOTONIC in nanoseconds as a double. Exact
/// up to 2^53 ns (104 days of uptime); beyond that it loses sub-ns steps only.
unsafe extern "C" fn monotonic_ns(env: NapiEnv, _info: NapiCallbackInfo) -> NapiValue {
    let mut now = Timespec { tv_sec: 0, tv_nsec: 0 };
    clock_gettime(CLOCK_MONOTONIC, &mut now);
    double(env, now.tv_sec as f64 * 1e9 + now.tv_nsec as f64)
}

/// `perfCounters(): { available: boolean, reason: string }` — really opens a
/// hardware instruction counter and checks that it counts, so a report can never
/// show a virtual machine's zeros as if they were measurements.
unsafe extern "C" fn perf_counters(env: NapiEnv, _info: NapiCallbackInfo) -> NapiValue {
    let (available, reason) = probe_instruction_counter();
    let mut object = ptr::null_mut();
    if napi_create_object(env, &mut object) != NAPI_OK {
        return ptr::null_mut();
    }
    napi_set_named_property(env, object, c"available".as_ptr(), boolean(env, available));
    napi_set_named_property(env, object, c"reason".as_ptr(), string(env, &reason));
    object
}

// ---------------------------------------------------------------------------
// perf_event_open(2)

/// struct perf_event_attr as of PERF_ATTR_SIZE_VER8 (128 bytes); only the fields
/// before `flags` are named, the rest must be zero.
#[repr(C)]
struct PerfEventAttr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    flags: u64,
    rest: [u64; 10],
}

const PERF_TYPE_HARDWARE: u32 = 0;
const PERF_COUNT_HW_INSTRUCTIONS: u64 = 1;
const FLAG_DISABLED: u64 = 1 << 0;
// User-space only: counting the kernel needs perf_event_paranoid <= 1, and a
// benchmark's own instructions are what matter.
const FLAG_EXCLUDE_KERNEL: u64 = 1 << 5;
const FLAG_EXCLUDE_HV: u64 = 1 << 6;
const PERF_FLAG_FD_CLOEXEC: c_long = 1 << 3;
const PERF_EVENT_IOC_ENABLE: c_ulong = 0x2400;
const PERF_EVENT_IOC_DISABLE: c_ulong = 0x2401;
const PERF_EVENT_IOC_RESET: c_ulong = 0x2403;

fn paranoid_level() -> String {
    std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "unreadable".to_string())
}

fn probe_instruction_counter() -> (bool, String) {
    let attr = PerfEventAttr {
        kind: PERF_TYPE_HARDWARE,
        size: std::mem::size_of::<PerfEventAttr>() as u32,
        config: PERF_COUNT_HW_INSTRUCTIONS,
        sample_period: 0,
        sample_type: 0,
        read_format: 0,
        flags: FLAG_DISABLED | FLAG_EXCLUDE_KERNEL | FLAG_EXCLUDE_HV,
        rest: [0; 10],
    };
    // pid 0 / cpu -1: this thread on whatever CPU it runs. Arguments are passed as
    // longs because syscall(2) reads every one of them as a long.
    let fd = unsafe { syscall(SYS_PERF_EVENT_OPEN, &attr as *const PerfEventAttr, 0 as c_long, -1 as c_long, -1 as c_long, PERF_FLAG_FD_CLOEXEC) };
    if fd < 0 {
        let error = std::io::Error::last_os_error();
        let errno = error.raw_os_error().unwrap_or(0);
        let why = match errno {
            2 => "no hardware instruction counter is exposed (typical of virtual machines without PMU passthrough)".to_string(),
            1 | 13 => format!("not permitted (kernel.perf_event_paranoid = {}, or a seccomp filter such as a container's)", paranoid_level()),
            38 => "the kernel has no perf events".to_string(),
            95 => "the hardware instruction counter is not supported here".to_string(),
            _ => "the kernel refused".to_string(),
        };
        return (false, format!("perf_event_open(instructions) failed: {why}: {error}"));
    }
    let fd = fd as c_int;
    // SAFETY: the kernel just returned this descriptor; File closes it when dropped.
    let mut file = unsafe { File::from_raw_fd(fd) };
    unsafe {
        ioctl(fd, PERF_EVENT_IOC_RESET, 0 as c_long);
        ioctl(fd, PERF_EVENT_IOC_ENABLE, 0 as c_long);
    }
    // A loop of known, non-trivial length, so a working counter cannot read 0.
    let mut x: u64 = 0;
    for i in 0..10_000u64 {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
    }
    std::hint::black_box(x);
    unsafe {
        ioctl(fd, PERF_EVENT_IOC_DISABLE, 0 as c_long);
    }
    let mut buffer = [0u8; 8];
    if let Err(error) = file.read_exact(&mut buffer) {
        return (false, format!("perf_event_open(instructions) opened, but reading the count failed: {error}"));
    }
    let count = u64::from_ne_bytes(buffer);
    if count == 0 {
        // Some hypervisors accept the event but never count: zeros are not data.
        return (false, "perf_event_open(instructions) opened, but the counter read 0 over a 10,000-iteration loop (not backed by hardware)".to_string());
    }
    (true, format!("perf_event_open(instructions) counted {count} user-space instructions over a 10,000-iteration loop"))
}

// ---------------------------------------------------------------------------
// Registration

/// Called by the runtime once per `napi_env` (the main thread and each worker):
/// attaches the functions to `exports`.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: NapiEnv, exports: NapiValue) -> NapiValue {
    let functions: [(&CStr, NapiCallback); 5] = [
        (c"pinCurrentThread", pin_current_thread),
        (c"currentCpu", current_cpu),
        (c"threadId", thread_id),
        (c"monotonicNs", monotonic_ns),
        (c"perfCounters", perf_counters),
    ];
    for (name, callback) in functions {
        let mut function = ptr::null_mut();
        if napi_create_function(env, name.as_ptr(), NAPI_AUTO_LENGTH, callback, ptr::null_mut(), &mut function) != NAPI_OK {
            return ptr::null_mut();
        }
        if napi_set_named_property(env, exports, name.as_ptr(), function) != NAPI_OK {
            return ptr::null_mut();
        }
    }
    exports
}
