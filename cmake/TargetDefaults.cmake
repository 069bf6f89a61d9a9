# Warnings for the project's own targets; the system libraries it links are prebuilt and untouched.
if(EARSHOT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(earshot_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(EARSHOT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
