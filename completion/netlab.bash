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

# _netlab_takes_value WORD: WORD is an option that takes a value, so the
# word after it is that value (the binary's own list, asked once).
_netlab_takes_value()
{
	[[ $1 == -* ]] || return 1
	[[ -n $_netlab_valued ]] || _netlab_valued=" $(_netlab_words values | tr '\n' ' ')"
	[[ $_netlab_valued == *" $1 "* ]]
}

_netlab()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local command= nargs=0 i words _netlab_valued=

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# After '--' comes the COMMAND that starts a server (watch, show, check):
	# a program first, then its own arguments, files most likely.
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] || continue
		if ((i == COMP_CWORD - 1)); then
			mapfile -t COMPREPLY < <(compgen -c -f -- "$cur" | sort -u)
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return 0
	done
	case $prev in
	--handler)
		mapfile -t COMPREPLY < <(compgen -W "$(_netlab_words handlers)" -- "$cur")
		return 0 ;;
	--lang)
		mapfile -t COMPREPLY < <(compgen -W "it en" -- "$cur")
		return 0 ;;
	--record | --svg)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0 ;;
	--expect)
		mapfile -t COMPREPLY < <(compgen -W "sequential concurrent" -- "$cur")
		return 0 ;;
	--designs)	# a comma-separated list: complete its last name
		mapfile -t COMPREPLY < <(compgen -P "${cur%"${cur##*,}"}" \
		    -W "$(_netlab_words designs)" -- "${cur##*,}")
		return 0 ;;
	esac
	# Any other value (a port, a host, a number) is one only the user knows.
	_netlab_takes_value "$prev" && return 0
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
