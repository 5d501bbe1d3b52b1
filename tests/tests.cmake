# Which tests carry which labels; every tests/test_*.c and tests/test_*.sh is a test.
set(KMM_THREADED_TESTS test_threads test_multi test_log test_page_alloc test_slab test_highmem
  test_vmalloc test_deferred_init test_fork)
set(KMM_INTERNAL_TESTS test_printf test_log test_memblock test_resource test_page_alloc test_reports
  test_highmem test_vmalloc_check test_deferred_init)
set(KMM_SLOW_TESTS test_addr test_shim_python test_shim_sqlite test_shim_git test_shim_gcc
  test_shim_redis)
# libkmm-malloc.so under LD_PRELOAD: label shim; each reports itself skipped in sanitizer builds
set(KMM_SHIM_TESTS test_shim test_shim_python test_shim_sqlite test_shim_git test_shim_gcc
  test_shim_redis test_bench_programs)
# The trace readers' tests (tools/kmm/trace*.c compiled in); test_trace_read
# runs the decompression thread, so it is threaded too.
set(KMM_TRACE_TESTS test_trace_read test_trace_data test_trace_shared test_trace_dat)
list(APPEND KMM_THREADED_TESTS test_trace_read)

# The project's shared/ folder beside the repository, with the real traces;
# tests that need it skip (77) where it is absent.
set(KMM_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "shared/ folder with the real traces")

# kmm_trace_test(NAME): a test that compiles the trace readers in, with their
# optional libraries. It finds tests/data and shared/ through KMM_TEST_DATA
# and KMM_SHARED_DIR.
function(kmm_trace_test name)
  target_sources(${name} PRIVATE ${KMM_TRACE_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tools/kmm)
  kmm_trace_deps(${name})
  target_compile_definitions(${name} PRIVATE
    KMM_TEST_DATA="${CMAKE_SOURCE_DIR}/tests/data"
    KMM_SHARED_DIR="${KMM_SHARED_DIR}")
  # libtraceevent's own leak (tests/lsan-trace.supp), not the readers'
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${KMM_TEST_DIR}/lsan-trace.supp")
endfunction()

foreach(src ${KMM_C_TESTS})
  string(REGEX REPLACE "\\.c$" "" name ${src})
  set(labels unit)
  if(name IN_LIST KMM_THREADED_TESTS)
    list(APPEND labels threaded)
  endif()
  if(name IN_LIST KMM_SLOW_TESTS)
    list(APPEND labels slow)
  endif()
  if(name IN_LIST KMM_INTERNAL_TESTS)
    kmm_test(${name} INTERNAL LABELS ${labels})
  else()
    kmm_test(${name} LABELS ${labels})
  endif()
  if(name IN_LIST KMM_TRACE_TESTS)
    kmm_trace_test(${name})
  endif()
endforeach()

foreach(src ${KMM_SH_TESTS})
  string(REGEX REPLACE "\\.sh$" "" name ${src})
  set(labels script)
  if(name IN_LIST KMM_SHIM_TESTS)
    set(labels shim)
  endif()
  if(name IN_LIST KMM_SLOW_TESTS)
    list(APPEND labels slow)
  endif()
  kmm_script_test(${name} LABELS ${labels})
endforeach()

# Kernel-style code sees the Linux-named facade, as a client would build it.
target_include_directories(test_facade PRIVATE ${CMAKE_SOURCE_DIR}/include/kmm-linux)
target_include_directories(test_facade_pages PRIVATE ${CMAKE_SOURCE_DIR}/include/kmm-linux)
target_include_directories(test_facade_slab PRIVATE ${CMAKE_SOURCE_DIR}/include/kmm-linux)
target_include_directories(test_facade_highmem PRIVATE ${CMAKE_SOURCE_DIR}/include/kmm-linux)
