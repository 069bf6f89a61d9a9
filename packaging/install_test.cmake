# Installs the build into a temporary prefix and checks the layout:
#   cmake -DBUILD_DIR=build/dev -DOUT_DIR=/tmp/x -P packaging/install_test.cmake
file(REMOVE_RECURSE "${OUT_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${OUT_DIR}/usr"
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result}):\n${out}\n${err}")
endif()
foreach(path IN ITEMS
        usr/bin/earshot
        usr/lib/systemd/system/earshot.service
        usr/share/earshot/example.yaml
        usr/share/earshot/rules/care.yaml
        usr/share/earshot/rules/care.tests.yaml
        usr/etc/earshot/earshot.yaml.example)
  if(NOT EXISTS "${OUT_DIR}/${path}")
    message(FATAL_ERROR "not installed: ${path}")
  endif()
endforeach()
file(READ "${OUT_DIR}/usr/lib/systemd/system/earshot.service" unit)
foreach(needle IN ITEMS "Type=notify" "ExecStart=${OUT_DIR}/usr/bin/earshot run"
                        "ExecReload=/bin/kill -HUP $MAINPID" "WatchdogSec=" "StateDirectory=earshot")
  string(FIND "${unit}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the installed unit lacks '${needle}'")
  endif()
endforeach()
execute_process(COMMAND "${OUT_DIR}/usr/bin/earshot" check-config
                        "${OUT_DIR}/usr/share/earshot/example.yaml"
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the installed example does not validate:\n${out}\n${err}")
endif()
file(REMOVE_RECURSE "${OUT_DIR}")
message(STATUS "install layout ok")
