from declaratie.service import definition
from runtime.server import main

if __name__ == "__main__":
    main(definition())
