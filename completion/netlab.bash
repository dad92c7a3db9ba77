# bash completion for netlab(1).
#
# The words come from the netlab being completed (netlab --complete WHAT),
# so a new command, option, handler or lab is offered as soon as the
# binary knows it. Installed as share/bash-completion/completions/netlab;
# or, by hand: source completion/netlab.bash

# _netlab_words WHAT: what 'netlab --complete WHAT' prints, one a line.
_netlab_words()
{
	local netlab=${COMP_WORDS[0]}

	netlab=${netlab/#\~/$HOME}
	"$netlab" --complete "$1" 2>/dev/null
}

# The options that take a value: the word after them is that value.
_netlab_takes_value()
{
	case $1 in
	-H | --host | -p | --port | --handler | --delay | --idle-timeout | \
	--max-clients | --record | --lang | --listen) return 0 ;;
	esac
	return 1
}

_netlab()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local command= nargs=0 i words

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	--handler)
		mapfile -t COMPREPLY < <(compgen -W "$(_netlab_words handlers)" -- "$cur")
		return 0 ;;
	--lang)
		mapfile -t COMPREPLY < <(compgen -W "it en" -- "$cur")
		return 0 ;;
	--record)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0 ;;
	-H | --host | -p | --port | --delay | --idle-timeout | --max-clients | --listen)
		return 0 ;;	# a value only the user knows
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_netlab_words options)" -- "$cur")
		return 0
	fi
	# The command: the first word that is neither an option nor an option's
	# value; nargs: how many words stand after it already.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if _netlab_takes_value "${COMP_WORDS[i]}"; then
			((i++))
		elif [[ ${COMP_WORDS[i]} == -* ]]; then
			continue
		elif [[ -z $command ]]; then
			command=${COMP_WORDS[i]}
		else
			((nargs++))
		fi
	done
	((nargs == 0)) || return 0
	case $command in
	'') words=$(_netlab_words commands) ;;
	lab) words=$(_netlab_words labs) ;;
	pool) words=auto ;;
	*) return 0 ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
	return 0
}

complete -F _netlab netlab
