#include "app/commands.hpp"

int main(int argc, char** argv) { return pillivery::app::RunCli(argc, argv); }
