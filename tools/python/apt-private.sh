# Sourced by get-python3.14.sh and build-python3.13t.sh: apt-get/apt-cache against a private
# sources list and private state (lists, cache, an empty dpkg status), so nothing under
# /etc/apt or /var/lib/apt is read or changed. Needs APT_DIR (a directory for that state).
#   apt_private_init SUITE TYPES   e.g. apt_private_init unstable "deb"
#   apt_p apt-get ARGS...          run an apt tool with the private options
# The archive's keyring (debian-archive-keyring, on every Debian machine) checks the indexes;
# apt checks every downloaded file against them.

APT_KEYRING=${APT_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
APT_MIRROR=${APT_MIRROR:-http://deb.debian.org/debian}

apt_private_init() {
	local suite=$1 types=$2 t
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/parts" "$APT_DIR/prefs"
	: >"$APT_DIR/sources.list.new"
	for t in $types; do
		echo "$t [signed-by=$APT_KEYRING] $APT_MIRROR $suite main" >>"$APT_DIR/sources.list.new"
	done
	mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
	[ -f "$APT_DIR/status" ] || : >"$APT_DIR/status"
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$APT_DIR/sources.list"
		-o "Dir::Etc::SourceParts=$APT_DIR/parts"
		-o "Dir::Etc::Preferences=$APT_DIR/prefs/none"
		-o "Dir::Etc::PreferencesParts=$APT_DIR/prefs"
		-o "Dir::State::Lists=$APT_DIR/lists"
		-o "Dir::State::status=$APT_DIR/status"
		-o "Dir::Cache=$APT_DIR/cache"
		-o "APT::Architecture=$(dpkg --print-architecture)"
		-o "APT::Architectures::=$(dpkg --print-architecture)"
		-o "APT::Install-Recommends=false"
		-o "Debug::NoLocking=1"
		-o "APT::Sandbox::User=root"
	)
}

apt_p() {
	local tool=$1
	shift
	"$tool" "${APT_OPTS[@]}" "$@"
}

# Refresh the private indexes if they are missing or older than a day.
apt_private_update() {
	if [ -z "$(find "$APT_DIR/lists" -maxdepth 1 -mtime -1 \( -name '*_Packages*' -o -name '*_Sources*' \) | head -1)" ]; then
		apt_p apt-get -q update >&2
	fi
}
